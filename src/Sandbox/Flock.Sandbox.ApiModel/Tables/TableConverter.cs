using System.Text.Json.Nodes;

namespace Flock.Sandbox.ApiModel;

/// <summary>Options of one Table response.</summary>
public sealed record TableOptions
{
    public IncludeObjectPolicy IncludeObject { get; init; } = IncludeObjectPolicy.Metadata;

    /// <summary>The list's resourceVersion (or the single object's).</summary>
    public string? ResourceVersion { get; init; }

    public string? Continue { get; init; }
    public long? RemainingItemCount { get; init; }

    /// <summary>The clock ages are computed against (built-in printers render ages server-side).</summary>
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Omit columnDefinitions, as the server does for later pages of a watch.</summary>
    public bool NoHeaders { get; init; }

    /// <summary>meta.k8s.io/v1 or meta.k8s.io/v1beta1, whichever the Accept header asked for.</summary>
    public string TableApiVersion { get; init; } = "meta.k8s.io/v1";
}

/// <summary>
/// Builds the meta.k8s.io Table <c>kubectl get</c> asks for with
/// <c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>.
/// </summary>
public static class TableConverter
{
    public const string V1MediaType = "application/json;as=Table;v=v1;g=meta.k8s.io";
    public const string V1Beta1MediaType = "application/json;as=Table;v=v1beta1;g=meta.k8s.io";

    /// <summary>"meta.k8s.io/v1" or "meta.k8s.io/v1beta1" when the Accept header asks for a Table (first acceptable clause wins), else null.</summary>
    public static string? NegotiateTableVersion(string? accept)
    {
        if (string.IsNullOrEmpty(accept))
        {
            return null;
        }

        foreach (var clause in accept.Split(','))
        {
            var parameters = clause.Split(';').Select(p => p.Trim()).ToList();
            if (parameters[0] is not ("application/json" or "*/*") || !parameters.Contains("as=Table") || !parameters.Contains("g=meta.k8s.io"))
            {
                continue;
            }

            if (parameters.Contains("v=v1"))
            {
                return "meta.k8s.io/v1";
            }

            if (parameters.Contains("v=v1beta1"))
            {
                return "meta.k8s.io/v1beta1";
            }
        }

        return null;
    }

    /// <summary>The includeObject query parameter: None, Metadata (default, also for empty) or Object; throws on anything else.</summary>
    public static IncludeObjectPolicy ParseIncludeObject(string? value) => value switch
    {
        null or "" or "Metadata" => IncludeObjectPolicy.Metadata,
        "None" => IncludeObjectPolicy.None,
        "Object" => IncludeObjectPolicy.Object,
        _ => throw new ArgumentException($"unrecognized includeObject value: \"{value}\""),
    };

    /// <summary>The printer the apiserver uses for <paramref name="resource"/>.</summary>
    public static TablePrinter PrinterFor(ApiResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource.IsCustom || resource.PrinterColumns is not null)
        {
            return CustomResourcePrinter.Create(resource.PrinterColumns);
        }

        return BuiltinPrinters.For(resource.Group, resource.Kind) ?? BuiltinPrinters.Default;
    }

    /// <summary>The column definitions of <paramref name="resource"/>'s table.</summary>
    public static IReadOnlyList<TableColumn> ColumnsFor(ApiResource resource) => PrinterFor(resource).Columns;

    /// <summary>A Table of <paramref name="items"/> (a list, or a single GET as one item).</summary>
    public static JsonObject Convert(ApiResource resource, IEnumerable<JsonObject> items, TableOptions? options = null)
    {
        options ??= new TableOptions();
        var printer = PrinterFor(resource);
        var metadata = new JsonObject();
        if (!string.IsNullOrEmpty(options.ResourceVersion))
        {
            metadata["resourceVersion"] = options.ResourceVersion;
        }

        if (!string.IsNullOrEmpty(options.Continue))
        {
            metadata["continue"] = options.Continue;
        }

        if (options.RemainingItemCount is { } remaining)
        {
            metadata["remainingItemCount"] = remaining;
        }

        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = options.TableApiVersion,
            ["metadata"] = metadata,
            ["columnDefinitions"] = options.NoHeaders
                ? null
                : new JsonArray(printer.Columns.Select(c => (JsonNode)c.ToJson()).ToArray()),
        };
        if (options.NoHeaders)
        {
            table.Remove("columnDefinitions");
        }

        var rows = new JsonArray();
        foreach (var item in items)
        {
            var printed = printer.Row(item, options.Now);
            var row = new JsonObject { ["cells"] = new JsonArray(printed.Cells.Select(c => c?.DeepClone()).ToArray()) };
            if (printed.Conditions is not null)
            {
                row["conditions"] = printed.Conditions;
            }

            row["object"] = options.IncludeObject switch
            {
                IncludeObjectPolicy.Object => item.DeepClone(),
                IncludeObjectPolicy.Metadata => PartialObjectMetadata(item, options.TableApiVersion),
                _ => null,
            };
            rows.Add(row);
        }

        table["rows"] = rows;
        return table;
    }

    /// <summary>A PartialObjectMetadata (meta.k8s.io/v1) carrying <paramref name="item"/>'s metadata.</summary>
    public static JsonObject PartialObjectMetadata(JsonObject item, string apiVersion = "meta.k8s.io/v1")
    {
        ArgumentNullException.ThrowIfNull(item);
        return new JsonObject
        {
            ["kind"] = "PartialObjectMetadata",
            ["apiVersion"] = apiVersion,
            ["metadata"] = item["metadata"]?.DeepClone() ?? new JsonObject(),
        };
    }
}
