using System.Text.Json.Nodes;
using Flock.Sandbox.Admission;
using Flock.Sandbox.ApiServer.Machinery;
using k8s;
using k8s.Models;

namespace Flock.Sandbox.ApiServer.Seams;

/// <summary>
/// The CustomResourceDefinition checks of the apiextensions-apiserver that generated CRDs can fail:
/// name = plural.group, exactly one storage version, and every version's schema compiling as a
/// structural schema (patterns, CEL rules, x-kubernetes extensions) with Flock.Sandbox.Admission.
/// </summary>
internal static class CrdValidation
{
    public static void Validate(JsonObject crdJson)
    {
        V1CustomResourceDefinition crd;
        try
        {
            crd = KubernetesJson.Deserialize<V1CustomResourceDefinition>(crdJson.ToJsonString());
        }
        catch (System.Text.Json.JsonException e)
        {
            throw Errors.BadRequest($"CustomResourceDefinition in version \"v1\" cannot be handled as a CustomResourceDefinition: {e.Message}");
        }

        var name = crd.Metadata?.Name ?? "";
        var errors = new List<FieldError>();
        var spec = crd.Spec;
        if (spec is null)
        {
            errors.Add(FieldError.Required("spec"));
        }
        else
        {
            var plural = spec.Names?.Plural ?? "";
            if (name != $"{plural}.{spec.Group}")
            {
                errors.Add(FieldError.Invalid("metadata.name", JsonValue.Create(name), "must be spec.names.plural+\".\"+spec.group"));
            }

            var versions = spec.Versions ?? [];
            if (versions.Count == 0) errors.Add(FieldError.Invalid("spec.versions", null, "must have exactly one version marked as storage version"));
            else if (versions.Count(v => v.Storage) != 1)
            {
                errors.Add(FieldError.Invalid("spec.versions", null, "must have exactly one version marked as storage version"));
            }

            for (var i = 0; i < versions.Count; i++)
            {
                var schema = versions[i].Schema?.OpenAPIV3Schema;
                if (schema is null) continue;
                try
                {
                    StructuralSchema.Compile(schema, FieldPath.Of("spec", "versions").Index(i).Child("schema").Child("openAPIV3Schema"));
                }
                catch (SchemaCompileException e)
                {
                    errors.AddRange(e.Errors);
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new ApiException(StatusJson.ToJson(InvalidStatus.Build("CustomResourceDefinition", "apiextensions.k8s.io", name, errors)));
        }
    }
}
