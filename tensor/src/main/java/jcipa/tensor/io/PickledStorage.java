package jcipa.tensor.io;

/**
 * A storage named by a persistent id {@code ('storage', torch.XStorage, key, location, numel)},
 * already checked against its record: {@code <archive>/data/<key>} holds exactly
 * {@code numel · itemSize} bytes. Its bytes are read only after the whole pickle was accepted.
 */
record PickledStorage(String key, StorageType type, long numel) {
    long byteLength() {
        return numel * type.itemSize;
    }
}
