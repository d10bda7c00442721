package dev.ringway.io;

/**
 * The single volatile reference through which a published snapshot reaches the event loops. A
 * connection reads it when it is accepted; an HTTP request reads it once when its head arrives and
 * keeps what it read until it is answered, so a swap never changes a request in flight.
 */
final class SnapshotHolder {
    private volatile ServingState state = ServingState.EMPTY;

    ServingState get() {
        return state;
    }

    void set(ServingState s) {
        state = s;
    }
}
