using System.Text;

namespace Flock.Operator.Runtime.Client;

/// <summary>Builds a URL query string from the parameters that have a value.</summary>
internal sealed class QueryBuilder
{
    private readonly StringBuilder _query = new();

    public QueryBuilder Add(string name, string? value)
    {
        if (string.IsNullOrEmpty(value)) return this;
        _query.Append(_query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        return this;
    }

    public override string ToString() => _query.ToString();

    public static implicit operator string(QueryBuilder builder) => builder.ToString();
}
