package jcipa.tensor.io;

import java.util.LinkedHashMap;

/**
 * A {@code collections.OrderedDict} being unpickled. Unlike a plain dict it accepts a BUILD
 * (torch state dicts carry a {@code _metadata} attribute that way); the attributes are dropped.
 */
final class OrderedDictMap extends LinkedHashMap<Object, Object> {}
