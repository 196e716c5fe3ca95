using System.Text.Json.Nodes;

namespace Flock.Sandbox.ApiModel;

/// <summary>A meta.k8s.io/v1 TableColumnDefinition.</summary>
public sealed record TableColumn(string Name, string Type, string Format, string Description, int Priority = 0)
{
    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["type"] = Type,
        ["format"] = Format,
        ["description"] = Description,
        ["priority"] = Priority,
    };
}

/// <summary>Cells (one per column) and optional row conditions for one object.</summary>
public sealed record TableRowCells(IReadOnlyList<JsonNode?> Cells, JsonArray? Conditions = null);

/// <summary>How the server prints one kind: its columns and a row function (object, now) → cells.</summary>
public sealed record TablePrinter(IReadOnlyList<TableColumn> Columns, Func<JsonObject, DateTimeOffset, TableRowCells> Row);

/// <summary>The includeObject query parameter of Table requests.</summary>
public enum IncludeObjectPolicy
{
    /// <summary>Rows carry <c>"object": null</c>.</summary>
    None,

    /// <summary>Rows carry a PartialObjectMetadata (the default).</summary>
    Metadata,

    /// <summary>Rows carry the full object.</summary>
    Object,
}

/// <summary>Descriptions the apiserver takes from ObjectMeta's swagger docs.</summary>
internal static class MetaDescriptions
{
    public const string Name = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    public const string CreationTimestamp = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    public static TableColumn NameColumn => new("Name", "string", "name", Name);

    public static TableColumn AgeColumn => new("Age", "string", "", CreationTimestamp);
}
