using System.Text.Json.Nodes;

namespace Flock.Sandbox.ApiModel;

/// <summary>Evaluates SelfSubjectAccessReview (authorization.k8s.io/v1), which <c>kubectl auth can-i</c> creates.</summary>
public static class SelfSubjectAccessReviews
{
    /// <summary>
    /// Returns the review as the apiserver answers the create: the request's spec, plus status
    /// {allowed, reason?}. Throws <see cref="ArgumentException"/> when neither or both of
    /// resourceAttributes and nonResourceAttributes are set (the server turns that into a 422/400).
    /// </summary>
    public static JsonObject Evaluate(RbacAuthorizer authorizer, UserInfo user, JsonObject review)
    {
        ArgumentNullException.ThrowIfNull(authorizer);
        ArgumentNullException.ThrowIfNull(review);
        var spec = review["spec"] as JsonObject ?? new JsonObject();
        var resource = spec["resourceAttributes"] as JsonObject;
        var nonResource = spec["nonResourceAttributes"] as JsonObject;
        if ((resource is null) == (nonResource is null))
        {
            throw new ArgumentException("exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }

        var attributes = resource is not null
            ? AuthorizationAttributes.ForResource(user, Str(resource, "verb"), Str(resource, "group"), Str(resource, "resource"),
                Str(resource, "namespace"), Str(resource, "name"), Str(resource, "subresource"), Str(resource, "version"))
            : AuthorizationAttributes.ForPath(user, Str(nonResource!, "verb"), Str(nonResource!, "path"));
        var decision = authorizer.Authorize(attributes);

        var metadata = review["metadata"]?.DeepClone() as JsonObject ?? new JsonObject();
        metadata.TryAdd("creationTimestamp", null);
        var status = new JsonObject { ["allowed"] = decision.Allowed };
        if (decision.Reason.Length > 0)
        {
            status["reason"] = decision.Reason;
        }

        return new JsonObject
        {
            ["kind"] = "SelfSubjectAccessReview",
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["metadata"] = metadata,
            ["spec"] = spec.DeepClone(),
            ["status"] = status,
        };
    }

    private static string Str(JsonObject obj, string key) => obj[key]?.GetValue<string>() ?? "";
}
