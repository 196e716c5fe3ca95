namespace Flock.Reliability.Tests.Answers;

/// <summary>A provider's answer to GET /lease/{dseq}/{gseq}/{oseq}/status: status code and body, verbatim.</summary>
public sealed record ProviderStatusAnswer(string Name, int Status, string Body)
{
    public override string ToString() => Name;
}

/// <summary>
/// SEPARATE PART OF THE TABLE, RESERVED FOR THE PROVIDER CLIENT (Flock.Akash/Provider, written in parallel).
/// These are the malformed lease-status bodies (shape from /work/shared/research/akash.md: services, forwarded_ports,
/// ips, errors). They are data only: no test runs them yet and they are not counted in the outside-answer corpus.
/// Whoever lands the provider client adds what each must become (its typed error and the words the message holds)
/// and a ProviderStatusAnswerTests serving them from a stub provider, like <see cref="FlockApiAnswerTests"/> does.
/// </summary>
public static class ProviderStatusAnswers
{
    public static IReadOnlyList<ProviderStatusAnswer> All { get; } =
    [
        new("empty body", 200, ""),
        new("HTML page", 200, "<html><body>Bad Gateway</body></html>"),
        new("truncated JSON", 200, "{\"services\": {\"flock-train\": {\"name\": \"flock-tr"),
        new("JSON array", 200, "[]"),
        new("services missing", 200, "{\"forwarded_ports\": {}}"),
        new("services as a list", 200, "{\"services\": [{\"name\": \"flock-train\"}]}"),
        new("service with replicas as text", 200, "{\"services\": {\"flock-train\": {\"name\": \"flock-train\", \"available\": 1, \"total\": 1, \"ready_replicas\": \"one\"}}}"),
        new("service with negative counts", 200, "{\"services\": {\"flock-train\": {\"name\": \"flock-train\", \"available\": -1, \"total\": -1}}}"),
        new("service with counts beyond 64 bits", 200, "{\"services\": {\"flock-train\": {\"name\": \"flock-train\", \"available\": 1e30, \"total\": 1}}}"),
        new("another service than the SDL's", 200, "{\"services\": {\"someone-else\": {\"name\": \"someone-else\", \"available\": 1, \"total\": 1}}}"),
        new("uris as a string", 200, "{\"services\": {\"flock-train\": {\"name\": \"flock-train\", \"available\": 1, \"total\": 1, \"uris\": \"a.example\"}}}"),
        new("forwarded port out of range", 200, "{\"services\": {}, \"forwarded_ports\": {\"flock-train\": [{\"host\": \"h\", \"port\": 3000, \"externalPort\": 70000, \"proto\": \"TCP\"}]}}"),
        new("errors reported", 200, "{\"errors\": [\"kube: pods not found\"], \"services\": {}}"),
        new("401 without a certificate", 401, "unauthorized"),
        new("404 lease unknown to the provider", 404, "{\"message\": \"lease not found\"}"),
        new("500 with a Go panic", 500, "panic: runtime error: invalid memory address or nil pointer dereference"),
    ];
}
