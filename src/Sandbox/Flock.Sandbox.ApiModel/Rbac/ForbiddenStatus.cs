using System.Text.Json.Nodes;

namespace Flock.Sandbox.ApiModel;

/// <summary>The 403 the apiserver answers a denied request with (responsewriters.Forbidden + errors.NewForbidden).</summary>
public static class ForbiddenStatus
{
    /// <summary>
    /// <c>User "u" cannot list resource "pods" in API group "" in the namespace "ns"</c>, the cluster-scope
    /// variant <c>… at the cluster scope</c>, or <c>User "u" cannot get path "/metrics"</c>.
    /// </summary>
    public static string Message(AuthorizationAttributes request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = request.User.Name;
        if (!request.IsResourceRequest)
        {
            return $"User \"{user}\" cannot {request.Verb} path \"{request.Path}\"";
        }

        var resource = request.Subresource.Length > 0 ? $"{request.Resource}/{request.Subresource}" : request.Resource;
        return request.Namespace.Length > 0
            ? $"User \"{user}\" cannot {request.Verb} resource \"{resource}\" in API group \"{request.ApiGroup}\" in the namespace \"{request.Namespace}\""
            : $"User \"{user}\" cannot {request.Verb} resource \"{resource}\" in API group \"{request.ApiGroup}\" at the cluster scope";
    }

    /// <summary>
    /// The full Status: message <c>pods "web" is forbidden: User … [: reason]</c>, reason Forbidden, code 403,
    /// details {name, group, kind = resource}.
    /// </summary>
    public static JsonObject Build(AuthorizationAttributes request, string reason = "")
    {
        ArgumentNullException.ThrowIfNull(request);
        var error = Message(request);
        if (reason.Length > 0)
        {
            error = $"{error}: {reason}";
        }

        string message;
        if (!request.IsResourceRequest || (request.ApiGroup.Length == 0 && request.Resource.Length == 0))
        {
            message = $"forbidden: {error}";
        }
        else
        {
            var qualified = StatusErrors.Qualified(request.Resource, request.ApiGroup);
            message = request.Name.Length == 0 ? $"{qualified} is forbidden: {error}" : $"{qualified} \"{request.Name}\" is forbidden: {error}";
        }

        var details = request.IsResourceRequest ? StatusErrors.Details(request.Name, request.ApiGroup, request.Resource) : new JsonObject();
        return StatusErrors.Build(403, "Forbidden", message, details);
    }

    /// <summary>Authorizes and, when denied, returns the 403 body; null when allowed.</summary>
    public static JsonObject? Check(RbacAuthorizer authorizer, AuthorizationAttributes request)
    {
        ArgumentNullException.ThrowIfNull(authorizer);
        var decision = authorizer.Authorize(request);
        return decision.Allowed ? null : Build(request, decision.Reason);
    }
}
