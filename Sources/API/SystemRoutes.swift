import Hummingbird
import Store

/// `GET /healthz` and `GET /v1/version`: what load balancers and clients probe first.
struct SystemRoutes: Sendable {
    let store: RoomStore
    var devMode = false

    func register(on router: Router<some RequestContext>) {
        router.get("healthz") { _, _ -> HealthStatus in
            // The database is the one dependency that can break under a running process
            // (disk full, file removed); check it cheaply.
            do {
                _ = try store.appliedMigrations()
                return HealthStatus(status: "ok")
            } catch {
                throw APIError(status: .serviceUnavailable, code: "unhealthy",
                               message: "database unavailable: \(error)")
            }
        }
        var version = VersionInfo.current
        version.devMode = devMode
        router.get("v1/version") { [version] _, _ in version }
    }
}

struct HealthStatus: ResponseCodable, Equatable {
    let status: String
}
