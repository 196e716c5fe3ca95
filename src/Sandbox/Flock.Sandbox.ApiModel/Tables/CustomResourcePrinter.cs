using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Flock.Sandbox.ApiModel;

/// <summary>
/// The apiextensions-apiserver's table convertor: a Name column, then the version's
/// additionalPrinterColumns evaluated with JSONPath (first result only), typed as the column says.
/// <c>date</c> cells are rendered server-side as an age (metatable.ConvertToHumanReadableDateType:
/// "5m", "<unknown>" for a zero time, "<invalid>" for an unparseable one); kubectl prints cells as given.
/// </summary>
public static class CustomResourcePrinter
{
    /// <summary>Builds the printer for <paramref name="columns"/> (the CRD default Age column when empty).</summary>
    public static TablePrinter Create(IReadOnlyList<V1CustomResourceColumnDefinition>? columns)
    {
        var definitions = columns is { Count: > 0 } ? columns : CustomResources.DefaultPrinterColumns;
        var tableColumns = new List<TableColumn> { MetaDescriptions.NameColumn };
        var paths = new List<JsonPath?>();
        foreach (var column in definitions)
        {
            var description = string.IsNullOrEmpty(column.Description)
                ? $"Custom resource definition column (in JSONPath format): {column.JsonPath}"
                : column.Description;
            tableColumns.Add(new TableColumn(column.Name, column.Type, column.Format ?? "", description, column.Priority ?? 0));
            paths.Add(TryParse(column.JsonPath));
        }

        return new TablePrinter(tableColumns, (obj, now) =>
        {
            var cells = new List<JsonNode?> { BuiltinPrinters.Name(obj) };
            for (var i = 0; i < definitions.Count; i++)
            {
                var results = paths[i]?.Evaluate(obj) ?? [];
                cells.Add(results.Count == 0 || results[0] is null ? null : Cell(definitions[i].Type, results[0]!, now));
            }

            return new TableRowCells(cells);
        });
    }

    /// <summary>One cell as the convertor types it; null when the value does not fit the column type.</summary>
    public static JsonNode? Cell(string type, JsonNode value, DateTimeOffset now)
    {
        var kind = value.GetValueKind();
        switch (type)
        {
            case "string":
                return JsonPath.Print(value);
            case "integer" when kind == JsonValueKind.Number:
                var number = value.AsValue();
                return number.TryGetValue<long>(out var integer) ? integer : (long)number.GetValue<double>();
            case "number" when kind == JsonValueKind.Number:
                return value.GetValue<double>();
            case "boolean" when kind is JsonValueKind.True or JsonValueKind.False:
                return value.GetValue<bool>();
            case "date" when kind == JsonValueKind.String:
                return DateTimeOffset.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                    ? HumanDuration.Since(time, now)
                    : "<invalid>";
            default:
                return null;
        }
    }

    private static JsonPath? TryParse(string expression)
    {
        try
        {
            return JsonPath.Parse(expression);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
