import CGEOS
import Foundation

/// One GEOS context per thread (GEOS's reentrant API), created on first use on a thread and
/// destroyed when the thread ends. It records GEOS's last error message for `GEOSCall`.
final class GEOSContext {
    let handle: GEOSContextHandle_t
    fileprivate(set) var lastError = ""

    private init() {
        handle = GEOS_init_r()
        GEOSContext_setErrorMessageHandler_r(handle, { message, userdata in
            guard let userdata, let message else { return }
            Unmanaged<GEOSContext>.fromOpaque(userdata).takeUnretainedValue().lastError = String(cString: message)
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit { GEOS_finish_r(handle) }

    /// This thread's context.
    static var current: GEOSContext {
        if let existing = pthread_getspecific(contextKey) {
            return Unmanaged<GEOSContext>.fromOpaque(existing).takeUnretainedValue()
        }
        let context = GEOSContext()
        pthread_setspecific(contextKey, Unmanaged.passRetained(context).toOpaque())
        return context
    }
}

private let contextKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key) { pointer in
        if let pointer { Unmanaged<GEOSContext>.fromOpaque(pointer).release() }
    }
    return key
}()

/// Runs a GEOS call on this thread's context and turns a NULL result into a `GDALError`
/// carrying GEOS's own message.
enum GEOSCall {
    static func geometry(_ context: @autoclosure () -> String,
                         _ body: (GEOSContextHandle_t) -> OpaquePointer?) throws -> Geometry {
        let ctx = GEOSContext.current
        ctx.lastError = ""
        guard let result = body(ctx.handle) else {
            throw GDALError(context: context(), message: ctx.lastError)
        }
        return Geometry(owning: result)
    }

    /// A GEOS predicate (0 false, 1 true, 2 exception).
    static func predicate(_ context: @autoclosure () -> String,
                          _ body: (GEOSContextHandle_t) -> CChar) throws -> Bool {
        let ctx = GEOSContext.current
        ctx.lastError = ""
        let r = body(ctx.handle)
        if r == 2 { throw GDALError(context: context(), message: ctx.lastError) }
        return r == 1
    }

    /// A GEOS measure (returns 0 on exception).
    static func measure(_ context: @autoclosure () -> String,
                        _ body: (GEOSContextHandle_t, UnsafeMutablePointer<Double>) -> Int32) throws -> Double {
        let ctx = GEOSContext.current
        ctx.lastError = ""
        var value = 0.0
        if body(ctx.handle, &value) == 0 { throw GDALError(context: context(), message: ctx.lastError) }
        return value
    }
}
