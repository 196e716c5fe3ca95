using Flock.Sandbox.Patching.Schema;

namespace Flock.Sandbox.Patching;

/// <summary>Strategic-merge-patch metadata for the built-in kinds (see <see cref="BuiltinTypes"/>).</summary>
public static class BuiltinPatchMeta
{
    /// <summary>
    /// Whether the apiserver accepts application/strategic-merge-patch+json for this kind. It does for every
    /// natively served group-version and refuses it (415 Unsupported Media Type) for custom resources.
    /// </summary>
    public static bool Supports(string apiVersion, string kind) =>
        BuiltinTypes.Find(apiVersion, kind) is not null || BuiltinTypes.IsBuiltinGroupVersion(apiVersion);

    /// <summary>
    /// The metadata for a built-in kind. Kinds of a built-in group-version the table does not spell out
    /// get ObjectMeta's strategies only (every other list replaced). Throws <see cref="PatchException"/>
    /// with status 415 for custom resources, with the apiserver's message.
    /// </summary>
    public static PatchMeta For(string apiVersion, string kind)
    {
        var entry = BuiltinTypes.Find(apiVersion, kind);
        if (entry is not null)
        {
            return new PatchMeta(entry.Root);
        }

        if (BuiltinTypes.IsBuiltinGroupVersion(apiVersion))
        {
            return new PatchMeta(BuiltinTypes.Generic);
        }

        throw new PatchException(
            "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
            415);
    }
}
