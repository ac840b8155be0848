package dev.assetlib;

import java.util.function.Supplier;

/** A value built on first use, once: a function builds only the parts (and AWS clients) its handler asks for. */
final class Lazy<T> implements Supplier<T> {
    private Supplier<T> build;
    private T value;

    private Lazy(Supplier<T> build) {
        this.build = build;
    }

    static <T> Lazy<T> of(Supplier<T> build) {
        return new Lazy<>(build);
    }

    @Override
    public synchronized T get() {
        if (build != null) {
            value = build.get();
            build = null;
        }
        return value;
    }
}
