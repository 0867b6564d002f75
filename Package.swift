// swift-tools-version:6.1
// Parley: a WebRTC selective forwarding unit. One module per protocol layer; lower layers know
// nothing of higher ones (see docs/ARCHITECTURE.md).
import PackageDescription

/// Imports are internal unless marked `public import`, so a module's public API cannot leak
/// a dependency by accident.
let strictSwift: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "parley",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "parley", targets: ["parley"]),
        .executable(name: "parley-bench", targets: ["parley-bench"]),
        .library(name: "RTP", targets: ["RTP"]),
        .library(name: "ICE", targets: ["ICE"]),
        .library(name: "SDP", targets: ["SDP"]),
        .library(name: "Signaling", targets: ["Signaling"]),
        .library(name: "DTLS", targets: ["DTLS"]),
        .library(name: "SRTP", targets: ["SRTP"]),
        .library(name: "SCTP", targets: ["SCTP"]),
        .library(name: "WebRTC", targets: ["WebRTC"]),
        .library(name: "CongestionControl", targets: ["CongestionControl"]),
        .library(name: "SFU", targets: ["SFU"]),
        .library(name: "Store", targets: ["Store"]),
        .library(name: "Auth", targets: ["Auth"]),
        .library(name: "API", targets: ["API"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // ConfigurationSupport (a default trait) would pull in swift-configuration, which we do
        // not use; FullFoundation is kept.
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1",
                 traits: ["FullFoundation"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // MARK: C libraries (Debian packages: libssl-dev, libsrtp2-dev, libusrsctp-dev).
        // SQLite comes through GRDB's own system-library module (GRDBSQLite, links sqlite3).
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSRTP", path: "Sources/CSRTP", pkgConfig: "libsrtp2",
                       providers: [.apt(["libsrtp2-dev"])]),
        .systemLibrary(name: "CUsrsctp", path: "Sources/CUsrsctp", pkgConfig: "usrsctp",
                       providers: [.apt(["libusrsctp-dev"])]),
        // sendmmsg(2), which Swift's Glibc module does not export (it needs _GNU_SOURCE).
        .target(name: "CSendmmsg"),

        // MARK: Wire formats (pure Swift; ICE uses OpenSSL only for HMAC-SHA1)
        .target(name: "RTP", swiftSettings: strictSwift),
        .target(name: "ICE", dependencies: ["COpenSSL"], swiftSettings: strictSwift),
        .target(name: "SDP", swiftSettings: strictSwift),
        // The signaling protocol's JSON messages (docs/signaling.md); no transport, no state.
        .target(name: "Signaling", swiftSettings: strictSwift),

        // MARK: Protocol layers over C libraries (SRTP: libsrtp2, and OpenSSL for sending AES-GCM RTP)
        .target(name: "DTLS", dependencies: ["COpenSSL"], swiftSettings: strictSwift),
        .target(name: "SRTP", dependencies: ["CSRTP", "COpenSSL"], swiftSettings: strictSwift),
        .target(name: "SCTP", dependencies: ["CUsrsctp"], swiftSettings: strictSwift),

        // MARK: Transport and router
        .target(
            name: "WebRTC",
            dependencies: [
                "ICE", "DTLS", "SRTP", "SCTP", "CSendmmsg",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
            ],
            swiftSettings: strictSwift
        ),
        // Transport-wide congestion control (transport-cc both ways, the send-side estimator).
        .target(name: "CongestionControl", dependencies: ["RTP"], swiftSettings: strictSwift),
        .target(name: "SFU", dependencies: ["WebRTC", "RTP", "SDP", "ICE", "DTLS", "SCTP", "CongestionControl"],
                swiftSettings: strictSwift),

        // MARK: Room state, control plane, executables
        .target(
            name: "Store",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSwift
        ),
        // API keys and JWT access tokens with grants (HS256, jwt-kit).
        .target(name: "Auth", dependencies: [.product(name: "JWTKit", package: "jwt-kit")], swiftSettings: strictSwift),
        .target(
            name: "API",
            dependencies: [
                "Store", "SFU", "Auth", "Signaling", "SDP", "WebRTC",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Web")],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "parley",
            dependencies: [
                "API",
                "Store",
                "SFU",
                "WebRTC",
                "DTLS",
                "Auth",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strictSwift
        ),

        .executableTarget(
            name: "parley-bench",
            dependencies: [
                "WebRTC", "RTP", "SDP", "ICE", "DTLS", "SCTP", "Signaling", "Auth", "CongestionControl",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: Tests, one target per module
        .testTarget(name: "RTPTests", dependencies: ["RTP"], swiftSettings: strictSwift),
        .testTarget(name: "ICETests", dependencies: ["ICE"], swiftSettings: strictSwift),
        .testTarget(name: "SDPTests", dependencies: ["SDP"], resources: [.copy("Fixtures")],
                    swiftSettings: strictSwift),
        .testTarget(name: "SignalingTests", dependencies: ["Signaling"], swiftSettings: strictSwift),
        .testTarget(name: "DTLSTests", dependencies: ["DTLS"], swiftSettings: strictSwift),
        .testTarget(name: "SRTPTests", dependencies: ["SRTP"], swiftSettings: strictSwift),
        .testTarget(name: "SCTPTests", dependencies: ["SCTP"], swiftSettings: strictSwift),
        .testTarget(name: "WebRTCTests", dependencies: ["WebRTC", "ICE", "DTLS", "SCTP",
                                                         .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                                                         .product(name: "NIOCore", package: "swift-nio"),
                                                         .product(name: "NIOPosix", package: "swift-nio")],
                    swiftSettings: strictSwift),
        .testTarget(name: "CongestionControlTests", dependencies: ["CongestionControl", "RTP"],
                    swiftSettings: strictSwift),
        .testTarget(name: "SFUTests", dependencies: ["SFU", "CongestionControl", "WebRTC", "RTP", "SDP", "ICE", "DTLS", "SCTP"],
                    swiftSettings: strictSwift),
        .testTarget(name: "StoreTests", dependencies: ["Store"], swiftSettings: strictSwift),
        .testTarget(name: "AuthTests", dependencies: ["Auth", .product(name: "JWTKit", package: "jwt-kit")],
                    swiftSettings: strictSwift),
        .testTarget(
            name: "APITests",
            dependencies: [
                "API", "Store", "Auth", "Signaling", "SDP", "SFU", "WebRTC", "DTLS",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSwift
        ),
        .testTarget(name: "parleyTests",
                    dependencies: ["parley", .product(name: "HummingbirdWSClient", package: "hummingbird-websocket")],
                    swiftSettings: strictSwift),
        .testTarget(name: "parley-benchTests", dependencies: ["parley-bench", "SDP", "SFU", "ICE", "DTLS"],
                    swiftSettings: strictSwift),
    ],
    swiftLanguageModes: [.v6]
)
