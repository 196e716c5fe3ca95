using System.Globalization;
using System.Text;

namespace Flock.Operator.Tests.Telemetry;

/// <summary>One sample line of the Prometheus text format.</summary>
internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string? Label(string name) => Labels.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A parsed /metrics answer: families with their # TYPE, and samples. Just enough of the text format to read
/// what a scrape holds; promtool is the judge of the format itself.
/// </summary>
internal sealed class Exposition
{
    private static readonly string[] HistogramSuffixes = ["_bucket", "_sum", "_count"];

    private Exposition(IReadOnlyDictionary<string, string> types, IReadOnlyList<Sample> samples)
    {
        Types = types;
        Samples = samples;
    }

    /// <summary>Family name → counter, gauge, histogram, …</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    public IReadOnlyList<Sample> Samples { get; }

    public static Exposition Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                types[parts[2]] = parts[3];
            }
            else if (line.Length > 0 && line[0] != '#')
            {
                samples.Add(ParseSample(line));
            }
        }

        return new Exposition(types, samples);
    }

    /// <summary>The family a sample belongs to (x_bucket of histogram x is x).</summary>
    public string FamilyOf(Sample sample)
    {
        if (Types.ContainsKey(sample.Name))
        {
            return sample.Name;
        }

        foreach (var suffix in HistogramSuffixes)
        {
            if (sample.Name.EndsWith(suffix, StringComparison.Ordinal) && Types.ContainsKey(sample.Name[..^suffix.Length]))
            {
                return sample.Name[..^suffix.Length];
            }
        }

        return sample.Name;
    }

    /// <summary>Samples named <paramref name="name"/> whose labels include every given pair.</summary>
    public IReadOnlyList<Sample> Find(string name, params (string Label, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Label(l.Label) == l.Value)).ToList();

    /// <summary>The sum over the matching samples (0 when none match).</summary>
    public double Sum(string name, params (string Label, string Value)[] labels) => Find(name, labels).Sum(s => s.Value);

    private static Sample ParseSample(string line)
    {
        var brace = line.IndexOf('{', StringComparison.Ordinal);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        string name;
        int rest;
        if (brace >= 0 && brace < space)
        {
            name = line[..brace];
            rest = ParseLabels(line, brace + 1, labels);
        }
        else
        {
            name = line[..space];
            rest = space;
        }

        var value = line[rest..].Trim().Split(' ')[0];
        return new Sample(name, labels, value switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
        });
    }

    // name="value",… up to the closing brace; values may hold \" \\ \n escapes.
    private static int ParseLabels(string line, int i, Dictionary<string, string> labels)
    {
        while (line[i] != '}')
        {
            var eq = line.IndexOf('=', i);
            var label = line[i..eq].TrimStart(',');
            var value = new StringBuilder();
            i = eq + 2;
            while (line[i] != '"')
            {
                if (line[i] == '\\')
                {
                    i++;
                    value.Append(line[i] == 'n' ? '\n' : line[i]);
                }
                else
                {
                    value.Append(line[i]);
                }

                i++;
            }

            labels[label] = value.ToString();
            i++;
            if (line[i] == ',')
            {
                i++;
            }
        }

        return i + 1;
    }
}
