using System.Text.Json.Nodes;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>
/// One write the server applied: its verb (create, update, patch, delete), the resource and object it hit, who sent
/// it, and the object as the response carries it (null for a delete that removed the object at once).
/// </summary>
public sealed record ApiWrite(
    string Verb,
    string Group,
    string Resource,
    string? Namespace,
    string? Name,
    string Subresource,
    string User,
    string UserAgent,
    JsonObject? Object)
{
    /// <summary>"patch flocktrainingnodes/status", "create events": the write's shape without namespace or name.</summary>
    public string Shape => $"{Verb} {Resource}{(Subresource.Length > 0 ? "/" + Subresource : "")}";
}

public sealed partial class FaultInjector
{
    /// <summary>
    /// Runs for every create, update, patch and delete after the store applied it and before the response is sent, so
    /// a crash test can kill the client at the exact point where the server has the write but the client does not know.
    /// Not cleared by <see cref="Reset"/>.
    /// </summary>
    public Func<ApiWrite, Task>? WriteHook { get; set; }

    /// <summary>
    /// Whose requests the failure rate, latency and forced conflicts hit (by authenticated user name); null hits
    /// everyone. Lets a test fail the operator's requests without failing the simulated cluster's own controllers.
    /// Not cleared by <see cref="Reset"/>.
    /// </summary>
    public Func<string, bool>? Targets { get; set; }

    /// <summary>
    /// Refuses the requests it matches (by HTTP method and path) with 500 InternalError, whoever sends them: a test can
    /// fail one step of a client (a finalizer patch, a node list, a Deployment apply) and leave every other request
    /// served. Null refuses nothing. Not cleared by <see cref="Reset"/>.
    /// </summary>
    public Func<string, string, bool>? RefuseWhen { get; set; }

    private bool Hits(string user) => Targets is not { } targets || targets(user);

    internal void BeforeRequest(string method, string path)
    {
        if (RefuseWhen is { } refuse && refuse(method, path)) throw Errors.Internal($"injected fault: {method} {path} refused");
    }

    internal Task AfterWriteAsync(ApiWrite write) => WriteHook is { } hook ? hook(write) : Task.CompletedTask;
}
