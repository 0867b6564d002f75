import NIOCore
import NIOPosix

/// The addresses a server announces as ICE host candidates when none are configured: every
/// interface address, loopback included so that a browser on the same machine can connect.
public enum HostCandidateAddresses {
    public static func discover() -> [String] {
        let devices = (try? System.enumerateDevices()) ?? []
        var addresses: [String] = []
        for device in devices {
            guard let address = device.address, let text = address.ipAddress else { continue }
            // Link-local IPv6 needs a zone id that SDP candidates cannot carry.
            if text.lowercased().hasPrefix("fe80") { continue }
            if !addresses.contains(text) { addresses.append(text) }
        }
        return addresses.isEmpty ? ["127.0.0.1"] : addresses
    }
}
