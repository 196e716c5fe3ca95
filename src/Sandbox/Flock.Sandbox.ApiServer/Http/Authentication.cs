using System.Collections.Concurrent;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Machinery;

namespace Flock.Sandbox.ApiServer.Http;

/// <summary>Bearer-token authentication: the admin token, and tokens registered for service accounts or users.</summary>
internal sealed class Authentication
{
    private readonly ConcurrentDictionary<string, UserInfo> _tokens = new(StringComparer.Ordinal);
    private RbacAuthorizer? _rbac;

    public Authentication(string adminToken)
    {
        AdminToken = adminToken;
        _tokens[adminToken] = Admin;
    }

    public string AdminToken { get; }

    public static UserInfo Admin { get; } = new("kubernetes-admin", [UserInfo.Masters, UserInfo.Authenticated]);

    public void Register(string token, UserInfo user) => _tokens[token] = user;

    public void Revoke(string token)
    {
        if (token != AdminToken) _tokens.TryRemove(token, out _);
    }

    public UserInfo? Authenticate(string authorization)
    {
        const string prefix = "Bearer ";
        if (!authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return null;
        return _tokens.GetValueOrDefault(authorization[prefix.Length..].Trim());
    }

    public bool IsAdmin(UserInfo user) => ReferenceEquals(user, Admin);

    public void InvalidateRbac() => _rbac = null;

    public RbacAuthorizer Rbac(ApiMachinery m)
    {
        var cached = _rbac;
        if (cached is not null) return cached;
        var objects = new List<System.Text.Json.Nodes.JsonObject>();
        foreach (var plural in new[] { "roles", "rolebindings", "clusterroles", "clusterrolebindings" })
        {
            var r = BuiltinResources.Find("rbac.authorization.k8s.io", plural)!;
            objects.AddRange(m.Store.Table(r).Snapshot(null).Items.Select(i => i.Object));
        }

        var built = RbacAuthorizer.FromJson(objects);
        _rbac = built;
        return built;
    }
}
