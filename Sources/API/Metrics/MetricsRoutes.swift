import Hummingbird

/// `GET /metrics`: the Prometheus scrape endpoint. It holds counts and sizes only, no room names
/// or identities, so it is served without a token, as Prometheus expects; `parley serve
/// --no-metrics` turns it off.
struct MetricsRoutes: Sendable {
    let metrics: ServerMetrics

    func register(on router: Router<some RequestContext>) {
        router.get("metrics") { [metrics] _, _ -> Response in
            let body = await metrics.render()
            return Response(status: .ok,
                            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }
}
