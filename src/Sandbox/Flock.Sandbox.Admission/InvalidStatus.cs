using k8s.Models;

namespace Flock.Sandbox.Admission;

/// <summary>The body of the apiserver's 422 response for an invalid object (apierrors.NewInvalid).</summary>
public static class InvalidStatus
{
    /// <summary>
    /// message "&lt;Kind&gt;.&lt;group&gt; \"&lt;name&gt;\" is invalid: &lt;errors&gt;" (one error bare, several in brackets,
    /// repeated texts once); one cause per error with its reason, ErrorBody() message and field.
    /// </summary>
    public static V1Status Build(string kind, string group, string name, IReadOnlyList<FieldError> errors)
    {
        var qualifiedKind = group.Length == 0 ? kind : kind + "." + group;
        var aggregate = FieldErrors.Aggregate(errors);
        var message = aggregate.Length == 0
            ? $"{qualifiedKind} {GoFormat.Quote(name)} is invalid"
            : $"{qualifiedKind} {GoFormat.Quote(name)} is invalid: {aggregate}";
        return new V1Status
        {
            ApiVersion = "v1",
            Kind = "Status",
            Metadata = new V1ListMeta(),
            Status = "Failure",
            Message = message,
            Reason = "Invalid",
            Code = 422,
            Details = new V1StatusDetails
            {
                Name = name,
                Group = group,
                Kind = kind,
                Causes = errors.Select(e => new V1StatusCause
                {
                    Reason = e.Type.Reason(),
                    Message = e.ErrorBody(),
                    Field = e.Field,
                }).ToList(),
            },
        };
    }
}
