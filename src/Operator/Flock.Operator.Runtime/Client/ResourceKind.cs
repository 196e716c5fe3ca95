namespace Flock.Operator.Runtime.Client;

/// <summary>The REST coordinates of a kind: where its objects live in the API.</summary>
public sealed record ResourceKind(string Group, string Version, string Plural, string Kind, bool Namespaced = true)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The collection path: /api/v1/namespaces/ns/pods or /apis/g/v/plural for all namespaces.</summary>
    public string CollectionPath(string? @namespace)
    {
        var root = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        return Namespaced && !string.IsNullOrEmpty(@namespace)
            ? $"{root}/namespaces/{Uri.EscapeDataString(@namespace)}/{Plural}"
            : $"{root}/{Plural}";
    }

    public string ObjectPath(string? @namespace, string name, string? subresource = null) =>
        CollectionPath(@namespace) + "/" + Uri.EscapeDataString(name) + (subresource is null ? "" : "/" + subresource);

    public override string ToString() => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
}
