using Flock.Akash.ProviderApi;

namespace Flock.AkashProvider.Tests;

/// <summary>A provider's answer to GET /lease/{dseq}/{gseq}/{oseq}/status, and what the client must make of it.</summary>
/// <param name="Expected">The typed failure, or null when the answer is a lease status the client reads.</param>
/// <param name="Words">What the failure's message must say, naming the problem.</param>
public sealed record ProviderStatusAnswer(string Name, int Status, string Body, ProviderErrorKind? Expected, string Words)
{
    public override string ToString() => Name;
}

/// <summary>
/// Malformed and hostile lease-status answers (shape from shared/research/akash.md §6: services, forwarded_ports, ips,
/// errors), served by a simulated provider to the real client over HTTPS: every one is a typed ProviderException whose
/// message names the problem, or a status the client reads without trusting what it cannot use.
/// </summary>
public static class ProviderStatusAnswers
{
    public static IReadOnlyList<ProviderStatusAnswer> All { get; } =
    [
        new("empty body", 200, "", ProviderErrorKind.BadResponse, "cannot be read"),
        new("HTML page", 200, "<html><body>Bad Gateway</body></html>", ProviderErrorKind.BadResponse, "cannot be read"),
        new("truncated JSON", 200, "{\"services\": {\"flock-train\": {\"name\": \"flock-tr", ProviderErrorKind.BadResponse, "cannot be read"),
        new("JSON array", 200, "[]", ProviderErrorKind.BadResponse, "cannot be read"),
        new("services as a list", 200, "{\"services\": [{\"name\": \"flock-train\"}]}", ProviderErrorKind.BadResponse, "services"),
        new("service with replicas as text", 200, "{\"services\": {\"flock-train\": {\"name\": \"flock-train\", \"available\": 1, \"total\": 1, \"ready_replicas\": \"one\"}}}", ProviderErrorKind.BadResponse, "ready_replicas"),
        new("service with counts beyond 64 bits", 200, "{\"services\": {\"flock-train\": {\"name\": \"flock-train\", \"available\": 1e30, \"total\": 1}}}", ProviderErrorKind.BadResponse, "available"),
        new("uris as a string", 200, "{\"services\": {\"flock-train\": {\"name\": \"flock-train\", \"available\": 1, \"total\": 1, \"uris\": \"a.example\"}}}", ProviderErrorKind.BadResponse, "uris"),
        new("401 without a certificate", 401, "unauthorized", ProviderErrorKind.Unauthorized, "401"),
        new("404 lease unknown to the provider", 404, "{\"message\": \"lease not found\"}", ProviderErrorKind.LeaseNotFound, "404"),
        new("500 with a Go panic", 500, "panic: runtime error: invalid memory address or nil pointer dereference", ProviderErrorKind.ProviderError, "500"),
        new("services missing", 200, "{\"forwarded_ports\": {}}", null, ""),
        new("service with negative counts", 200, "{\"services\": {\"flock-train\": {\"name\": \"flock-train\", \"available\": -1, \"total\": -1}}}", null, ""),
        new("another service than the SDL's", 200, "{\"services\": {\"someone-else\": {\"name\": \"someone-else\", \"available\": 1, \"total\": 1}}}", null, ""),
        new("forwarded port out of range", 200, "{\"services\": {}, \"forwarded_ports\": {\"flock-train\": [{\"host\": \"h\", \"port\": 3000, \"externalPort\": 70000, \"proto\": \"TCP\"}]}}", null, ""),
        new("errors reported", 200, "{\"errors\": [\"kube: pods not found\"], \"services\": {}}", null, ""),
    ];
}
