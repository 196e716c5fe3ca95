using Flock.Operator.Tests.Integration;

namespace Flock.Operator.Tests.Resilience;

using Sandbox = Flock.Operator.Tests.Integration.Sandbox;

/// <summary>
/// One operator process's own credentials: a user token (in system:masters, as the admin) and a kubeconfig with it,
/// so the API server's write hook can tell this process's writes from every other client's.
/// </summary>
public sealed record OperatorIdentity(string User, string Kubeconfig)
{
    public static OperatorIdentity Create(Sandbox sandbox, string prefix)
    {
        var user = $"{prefix}-{Guid.NewGuid().ToString("N")[..12]}";
        var token = sandbox.Server.RegisterUserToken(user, ["system:masters", "system:authenticated"]);
        var path = sandbox.Server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"flock-{user}.kubeconfig"), token);
        return new OperatorIdentity(user, path);
    }

    /// <summary>The flags that make an operator use this identity (they come after the harness's own, and the last one wins).</summary>
    public string[] Args => ["--kubeconfig", Kubeconfig];
}
