namespace Flock.Sandbox.ApiModel;

/// <summary>An authenticated user as the authorizer sees it.</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    /// <summary>The group every authenticated request carries.</summary>
    public const string Authenticated = "system:authenticated";

    /// <summary>The group the privileged-group authorizer lets through unconditionally.</summary>
    public const string Masters = "system:masters";

    /// <summary>A service account's user: <c>system:serviceaccount:ns:name</c> with its three groups.</summary>
    public static UserInfo ServiceAccount(string @namespace, string name) => new(
        $"system:serviceaccount:{@namespace}:{name}",
        ["system:serviceaccounts", $"system:serviceaccounts:{@namespace}", Authenticated]);

    /// <summary>A plain user in <c>system:authenticated</c> plus <paramref name="groups"/>.</summary>
    public static UserInfo User(string name, params string[] groups) =>
        new(name, groups.Contains(Authenticated) ? groups : [.. groups, Authenticated]);

    /// <summary>The namespace and name of a service account user, or null for other users.</summary>
    public (string Namespace, string Name)? AsServiceAccount()
    {
        const string prefix = "system:serviceaccount:";
        if (!Name.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = Name[prefix.Length..].Split(':');
        return parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0 ? (parts[0], parts[1]) : null;
    }
}

/// <summary>
/// What a request asks to do, as k8s.io/apiserver's authorizer.Attributes. Resource requests fill
/// verb/group/resource/(subresource)/(namespace)/(name); non-resource requests fill verb and path.
/// </summary>
public sealed record AuthorizationAttributes
{
    public required UserInfo User { get; init; }

    /// <summary>get, list, watch, create, update, patch, delete, deletecollection (resource requests); get, post, put… (non-resource).</summary>
    public required string Verb { get; init; }

    public bool IsResourceRequest { get; init; } = true;
    public string ApiGroup { get; init; } = "";
    public string ApiVersion { get; init; } = "";
    public string Resource { get; init; } = "";
    public string Subresource { get; init; } = "";
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";

    /// <summary>The URL path of a non-resource request (/healthz, /metrics).</summary>
    public string Path { get; init; } = "";

    /// <summary>A resource request.</summary>
    public static AuthorizationAttributes ForResource(UserInfo user, string verb, string apiGroup, string resource,
        string @namespace = "", string name = "", string subresource = "", string apiVersion = "") => new()
    {
        User = user,
        Verb = verb,
        ApiGroup = apiGroup,
        ApiVersion = apiVersion,
        Resource = resource,
        Subresource = subresource,
        Namespace = @namespace,
        Name = name,
    };

    /// <summary>A non-resource request.</summary>
    public static AuthorizationAttributes ForPath(UserInfo user, string verb, string path) => new()
    {
        User = user,
        Verb = verb,
        IsResourceRequest = false,
        Path = path,
    };
}

/// <summary>An authorizer's answer: allowed or not, and the reason the apiserver reports (may be empty).</summary>
public sealed record AuthorizationDecision(bool Allowed, string Reason);
