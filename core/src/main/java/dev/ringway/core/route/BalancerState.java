package dev.ringway.core.route;

/**
 * Per-event-loop balancing state: one round-robin counter per backend id. Not thread-safe by
 * design: each event loop owns one, so choosing an endpoint takes no lock and no atomic.
 * A new snapshot may have more backends; the array grows on demand.
 */
public final class BalancerState {
    private int[] counters;
    private long seed;

    public BalancerState(int backendCount, long seed) {
        this.counters = new int[Math.max(backendCount, 1)];
        this.seed = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
    }

    /** The next index in {@code [0, n)} for backend {@code id}. */
    public int next(int id, int n) {
        if (id >= counters.length) {
            counters = java.util.Arrays.copyOf(counters, Math.max(id + 1, counters.length * 2));
        }
        int c = counters[id];
        counters[id] = c + 1 == Integer.MAX_VALUE ? 0 : c + 1;
        return Math.floorMod(c, n);
    }

    /** A fast per-loop pseudo-random int in {@code [0, bound)} (xorshift; weights and mirror percent). */
    public int random(int bound) {
        long x = seed;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        seed = x;
        return (int) Math.floorMod(x, (long) bound);
    }
}
