using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Machinery;
using Microsoft.AspNetCore.Http;

namespace Flock.Sandbox.ApiServer.Http;

/// <summary>Who may do what: RBAC checks, impersonation and SelfSubjectAccessReviews.</summary>
internal sealed partial class ApiHandler
{
    private RbacAuthorizer Rbac() => _authn.Rbac(_m);

    /// <summary>
    /// Impersonate-User / Impersonate-Group headers (kubectl --as/--as-group): the requester needs the
    /// impersonate verb on users, groups or serviceaccounts (system:masters has it); the request then runs
    /// as the impersonated user, with system:authenticated (and a service account's groups) added.
    /// </summary>
    private UserInfo Impersonate(HttpContext ctx, UserInfo requester)
    {
        var name = ctx.Request.Headers["Impersonate-User"].ToString();
        var groups = ctx.Request.Headers["Impersonate-Group"].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!).ToList();
        if (name.Length == 0)
        {
            if (groups.Count > 0) throw Errors.Internal("requested [{Kind=Group}] without impersonating a user");
            return requester;
        }

        var target = UserInfo.User(name, [.. groups]);
        var sa = target.AsServiceAccount();
        if (sa is { } account)
        {
            target = new UserInfo(name, [.. UserInfo.ServiceAccount(account.Namespace, account.Name).Groups.Union(groups)]);
        }

        if (!_authn.IsAdmin(requester))
        {
            var checks = new List<AuthorizationAttributes>
            {
                sa is { } s
                    ? AuthorizationAttributes.ForResource(requester, "impersonate", "", "serviceaccounts", s.Namespace, s.Name)
                    : AuthorizationAttributes.ForResource(requester, "impersonate", "", "users", "", name),
            };
            checks.AddRange(groups.Select(g => AuthorizationAttributes.ForResource(requester, "impersonate", "", "groups", "", g)));
            foreach (var check in checks)
            {
                if (!Rbac().Authorize(check).Allowed)
                {
                    var what = check.Resource switch { "groups" => "group", "serviceaccounts" => "serviceaccount", _ => "user" };
                    throw new ApiException(Errors.Status(403, "Forbidden",
                        $"{what}s \"{check.Name}\" is forbidden: User \"{requester.Name}\" cannot impersonate resource \"{check.Resource}\" in API group \"\"" +
                        (check.Namespace.Length > 0 ? $" in the namespace \"{check.Namespace}\"" : " at the cluster scope"),
                        Errors.Details(check.Name, "", check.Resource)));
                }
            }
        }

        return target;
    }

    private void Authorize(UserInfo user, string verb, RequestInfo info)
    {
        if (_authn.IsAdmin(user)) return;
        var ns = info.Namespace ?? (info.Resource.Kind == "Namespace" ? info.Name : null) ?? "";
        var attributes = AuthorizationAttributes.ForResource(user, verb, info.Resource.Group, info.Resource.Plural, ns, info.Name ?? "",
            info.Subresource, info.Resource.Version);
        if (info.Resource.Virtual) return;
        if (ForbiddenStatus.Check(Rbac(), attributes) is { } status) throw new ApiException(status);
    }

    private JsonObject SelfSubjectAccessReview(UserInfo user, JsonObject body)
    {
        try
        {
            return SelfSubjectAccessReviews.Evaluate(Rbac(), user, body);
        }
        catch (ArgumentException e)
        {
            throw Errors.Invalid("SelfSubjectAccessReview", "authorization.k8s.io", "", [("spec.resourceAttributes", "FieldValueInvalid", e.Message)]);
        }
    }
}
