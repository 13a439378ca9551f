package jcipa.data;

/** One PCLT20K slice: CT, PET and (when present) the tumour mask, all the same size. */
public record Sample(String name, U8Image ct, U8Image pet, U8Image mask) {
    public Sample {
        if (!ct.sameSize(pet) || (mask != null && !ct.sameSize(mask)))
            throw new IllegalArgumentException(name + ": CT " + ct.size() + ", PET " + pet.size()
                    + (mask == null ? "" : ", mask " + mask.size()) + " differ in size");
    }

    public int width() {
        return ct.width();
    }

    public int height() {
        return ct.height();
    }
}
