using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Seams;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>Validation shared by every write: kind and apiVersion, object names, unknown fields, built-in and CR admission.</summary>
internal sealed partial class ApiMachinery
{
    private static void CheckKind(ApiResource r, JsonObject obj)
    {
        var apiVersion = Json.Str(obj, "apiVersion");
        var kind = Json.Str(obj, "kind");
        if (!string.IsNullOrEmpty(kind) && kind != r.Kind)
        {
            throw Errors.BadRequest($"the server rejected our request due to an error in our request: the kind in the data ({kind}) does not match the expected kind ({r.Kind})");
        }

        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != r.ApiVersion)
        {
            throw Errors.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({r.ApiVersion})");
        }

        obj["apiVersion"] = r.ApiVersion;
        obj["kind"] = r.Kind;
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    private static void ValidateName(ApiResource r, string name)
    {
        if (r.Group == "rbac.authorization.k8s.io" || r.Kind == "Event")
        {
            if (name is "." or ".." || name.Contains('/') || name.Contains('%'))
            {
                throw Errors.Invalid(r.Kind, r.Group, name, [("metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": may not contain '/' or '%'")]);
            }

            return;
        }

        if (r.Kind is "Namespace" or "Service")
        {
            if (name.Length > 63 || !Label().IsMatch(name))
            {
                throw Errors.Invalid(r.Kind, r.Group, name, [("metadata.name", "FieldValueInvalid",
                    $"Invalid value: \"{name}\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")]);
            }

            return;
        }

        if (name.Length > 253 || !Subdomain().IsMatch(name))
        {
            throw Errors.Invalid(r.Kind, r.Group, name, [("metadata.name", "FieldValueInvalid",
                $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")]);
        }
    }

    /// <summary>Unknown fields (per fieldValidation), built-in validation and CR schema admission.</summary>
    private void ValidateAndAdmit(ApiResource r, JsonObject obj, JsonObject? old, WriteOptions o, string subresource)
    {
        // Decoding comes first: unknown fields are reported (or dropped) before admission validates anything.
        var unknown = r.ModelType is not null ? BuiltinFields.Prune(r.ModelType, obj) : [.. CrAdmission.Prune(r, obj)];
        if (unknown.Count > 0)
        {
            switch (o.FieldValidation)
            {
                case "Strict":
                    {
                        // Create and update decode the body strictly (transformDecodeError adds the kind); a patch
                        // checks the patched object and reports the bare strict decoding error.
                        var error = "strict decoding error: " + string.Join(", ", unknown.Select(u => $"unknown field \"{u}\""));
                        throw Errors.BadRequest(o.IsPatch ? error : $"{r.Kind} in version \"{r.Version}\" cannot be handled as a {r.Kind}: {error}");
                    }

                case "Ignore":
                    break;
                default:
                    o.Warnings.AddRange(unknown.Select(u => $"unknown field \"{u}\""));
                    break;
            }
        }

        var metaErrors = MetaValidation.Validate(obj);
        if (metaErrors.Count > 0) throw Errors.Invalid(r.Kind, r.Group, Json.Path(obj, "metadata", "name") ?? "", metaErrors);
        if (r.ModelType is not null)
        {
            BuiltinValidation.Validate(r, obj);
            if (r.Kind == "CustomResourceDefinition" && subresource.Length == 0) CrdValidation.Validate(obj);
            if (old is not null && subresource.Length == 0)
            {
                var updateErrors = MetaValidation.ValidateUpdate(r, obj, old);
                if (updateErrors.Count > 0) throw Errors.Invalid(r.Kind, r.Group, Json.Path(obj, "metadata", "name") ?? "", updateErrors);
            }
        }
        else
        {
            var result = CrAdmission.Admit(r, obj, old);
            o.Warnings.AddRange(result.Warnings);
            if (result.InvalidStatus is not null) throw new ApiException(result.InvalidStatus);
        }
    }
}
