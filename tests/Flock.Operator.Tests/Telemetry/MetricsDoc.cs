using System.Text.RegularExpressions;

namespace Flock.Operator.Tests.Telemetry;

/// <summary>A metric as docs/metrics.md lists it; <see cref="Labels"/> is null where the labels are not fixed (target_info).</summary>
internal sealed record DocumentedMetric(string Name, string Type, IReadOnlySet<string>? Labels);

/// <summary>Reads the metric tables of docs/metrics.md: rows whose first cell is a `name`.</summary>
internal static partial class MetricsDoc
{
    public static string Path => System.IO.Path.Combine(Integration.Paths.Root, "docs", "metrics.md");

    public static IReadOnlyDictionary<string, DocumentedMetric> Read()
    {
        var metrics = new Dictionary<string, DocumentedMetric>(StringComparer.Ordinal);
        // The metric tables come before the traces section, whose span table has the same shape.
        foreach (var line in File.ReadLines(Path).TakeWhile(l => !l.StartsWith("## Traces", StringComparison.Ordinal)))
        {
            var row = Row().Match(line);
            if (!row.Success)
            {
                continue;
            }

            var labelCell = row.Groups["labels"].Value;
            var labels = labelCell.Contains('`', StringComparison.Ordinal)
                ? Backticked().Matches(labelCell).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal)
                : labelCell.Trim().Length == 0 ? new HashSet<string>(StringComparer.Ordinal) : null;
            var name = row.Groups["name"].Value;
            Assert.False(metrics.ContainsKey(name), $"{name} is listed twice in docs/metrics.md");
            metrics[name] = new DocumentedMetric(name, row.Groups["type"].Value.Trim(), labels);
        }

        return metrics;
    }

    // | `name` | type | unit | labels | meaning |
    [GeneratedRegex(@"^\| `(?<name>[a-z_:][a-z0-9_:]*)` \|(?<type>[^|]*)\|[^|]*\|(?<labels>[^|]*)\|")]
    private static partial Regex Row();

    [GeneratedRegex("`([a-z_][a-z0-9_]*)`")]
    private static partial Regex Backticked();
}
