namespace Flock.KubectlPlugin.Tests.Support;

/// <summary>A kubectl-style table read back by its header's column positions (cells may hold spaces).</summary>
internal sealed class PrintedTable
{
    private PrintedTable(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyDictionary<string, string>> rows)
    {
        Headers = headers;
        Rows = rows;
    }

    public IReadOnlyList<string> Headers { get; }

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Rows { get; }

    /// <summary>The row with this NAME (and NAMESPACE, when given).</summary>
    public IReadOnlyDictionary<string, string> Row(string name, string? ns = null) =>
        Rows.Single(r => r["NAME"] == name && (ns is null || r["NAMESPACE"] == ns));

    public static PrintedTable Parse(string text, IReadOnlyList<string> expectedHeaders)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0];
        // Each header is searched after the previous one ("NAME" is also inside "NAMESPACE").
        var starts = new int[expectedHeaders.Count];
        var from = 0;
        for (var i = 0; i < starts.Length; i++)
        {
            starts[i] = header.IndexOf(expectedHeaders[i], from, StringComparison.Ordinal);
            Assert.True(starts[i] >= 0, $"header {expectedHeaders[i]} missing or out of order in: {header}");
            from = starts[i] + expectedHeaders[i].Length;
        }

        var rows = lines.Skip(1).Select(line => (IReadOnlyDictionary<string, string>)expectedHeaders.Select((h, i) =>
        {
            var start = Math.Min(starts[i], line.Length);
            var end = i + 1 < starts.Length ? Math.Min(starts[i + 1], line.Length) : line.Length;
            return (h, line[start..end].Trim());
        }).ToDictionary(c => c.h, c => c.Item2)).ToList();
        var parsedHeaders = expectedHeaders.Select((h, i) => header[starts[i]..(i + 1 < starts.Length ? starts[i + 1] : header.Length)].Trim()).ToList();
        return new PrintedTable(parsedHeaders, rows);
    }
}
