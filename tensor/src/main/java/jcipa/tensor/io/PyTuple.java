package jcipa.tensor.io;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A Python tuple as the unpickler builds it: fixed length, seen from outside as an unmodifiable
 * {@link java.util.List}. Only the checkpoint reader replaces elements (pending tensors by the
 * gathered ones), before the tuple is handed out.
 */
final class PyTuple extends AbstractList<Object> implements RandomAccess {
    static final PyTuple EMPTY = new PyTuple(new Object[0]);

    private final Object[] items;

    PyTuple(Object[] items) {
        this.items = items;
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }

    void replace(int index, Object value) {
        items[index] = value;
    }
}
