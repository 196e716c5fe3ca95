using System.Diagnostics;

namespace Flock.Bench;

/// <summary>Prints results as a Markdown table, the form the closing notes quote.</summary>
internal sealed class Report(string title)
{
    private readonly List<(string Metric, string Value)> _rows = [];

    public void Add(string metric, string value) => _rows.Add((metric, value));

    public void Add(string metric, double value, string unit) => Add(metric, $"{value:N1} {unit}");

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine($"### {title}");
        Console.WriteLine("| metric | value |");
        Console.WriteLine("|---|---|");
        foreach (var (metric, value) in _rows) Console.WriteLine($"| {metric} | {value} |");
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static double RssMiB() => Process.GetCurrentProcess().WorkingSet64 / 1024.0 / 1024.0;

    public static double ManagedMiB()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true) / 1024.0 / 1024.0;
    }
}
