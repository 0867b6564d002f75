import ArgumentParser
import Auth
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What admin commands need to reach a server: its URL and an API key to sign requests with.
struct AdminOptions: ParsableArguments {
    @Option(help: "The server's base URL (env PARLEY_URL).")
    var server: String?

    @Option(name: .customLong("api-key"), help: "API key id (env PARLEY_API_KEY).")
    var apiKey: String?

    @Option(name: .customLong("api-secret"), help: "API secret (env PARLEY_API_SECRET).")
    var apiSecret: String?

    func keyPair() throws -> APIKeyPair {
        let environment = ProcessInfo.processInfo.environment
        guard let keyID = apiKey ?? environment["PARLEY_API_KEY"],
              let secret = apiSecret ?? environment["PARLEY_API_SECRET"] else {
            throw ValidationError("an API key is needed: --api-key/--api-secret or PARLEY_API_KEY/PARLEY_API_SECRET "
                                  + "(a server generates one in its data directory, api-key.json)")
        }
        do {
            return try APIKeyPair(keyID: keyID, secret: secret)
        } catch {
            throw ValidationError("the API key is not usable: \(error)")
        }
    }

    var baseURL: URL {
        get throws {
            let text = server ?? ProcessInfo.processInfo.environment["PARLEY_URL"] ?? "http://127.0.0.1:7800/"
            guard let url = URL(string: text), url.scheme?.hasPrefix("http") == true else {
                throw ValidationError("--server must be an http(s) URL, not '\(text)'")
            }
            return url
        }
    }

    /// Calls the REST API with a short-lived admin token signed by the API key.
    func call(_ method: String, _ path: String, query: [URLQueryItem] = [], json: [String: Any]? = nil,
              grants: VideoGrants) async throws -> Data {
        let token = try await TokenIssuer(key: keyPair()).mint(identity: "parley-cli", grants: grants,
                                                               validFor: .seconds(60))
        var url = try baseURL.appendingPathComponent(path)
        if !query.isEmpty { url.append(queryItems: query) }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
        }
        request.timeoutInterval = 10
        let (body, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else { throw AdminCallError(status: status, body: body) }
        return body
    }
}

/// A refused REST call, shown as the server's error code and message.
struct AdminCallError: Error, CustomStringConvertible {
    let status: Int
    let body: Data

    var description: String {
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
           let error = object["error"] as? [String: Any],
           let code = error["code"] as? String, let message = error["message"] as? String {
            return "\(code): \(message)"
        }
        return "HTTP \(status)"
    }
}

/// Prints JSON from the server readably.
func printJSON(_ data: Data) {
    if let object = try? JSONSerialization.jsonObject(with: data),
       let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]) {
        print(String(decoding: pretty, as: UTF8.self))
    } else {
        print(String(decoding: data, as: UTF8.self))
    }
}
