using System.Globalization;
using System.Text;

namespace Flock.Sandbox.Admission;

/// <summary>
/// Validates a rule's fieldPath (".amount", ".escrow.maxSpend.denom", ".attributes['region']", ".list[0]") against
/// the schema of the rule's node and normalizes it into field.Path text ("attributes[region]"), as the apiserver does
/// before appending it to the node's path.
/// </summary>
internal static class CelFieldPath
{
    public static string? Normalize(string fieldPath, StructuralSchema schema, out string? error)
    {
        error = null;
        var path = FieldPath.Root;
        var node = schema;
        var pos = 0;
        while (pos < fieldPath.Length)
        {
            if (fieldPath[pos] == '.')
            {
                var end = pos + 1;
                while (end < fieldPath.Length && fieldPath[end] is not '.' and not '[')
                {
                    end++;
                }

                var name = fieldPath[(pos + 1)..end];
                if (name.Length == 0 || !Step(ref node, ref path, name, quoted: false))
                {
                    error = "does not refer to a valid field";
                    return null;
                }

                pos = end;
            }
            else if (fieldPath[pos] == '[')
            {
                if (!Subscript(fieldPath, ref pos, ref node, ref path, out error))
                {
                    return null;
                }
            }
            else
            {
                error = $"expected [ or . at position {pos}";
                return null;
            }
        }

        if (path.IsRoot)
        {
            error = "must be non-empty";
            return null;
        }

        return path.ToString();
    }

    private static bool Subscript(string text, ref int pos, ref StructuralSchema node, ref FieldPath path, out string? error)
    {
        error = null;
        var start = pos + 1;
        if (start < text.Length && text[start] is '\'' or '"')
        {
            var quote = text[start];
            var sb = new StringBuilder();
            var i = start + 1;
            for (; i < text.Length && text[i] != quote; i++)
            {
                if (text[i] == '\\' && i + 1 < text.Length)
                {
                    i++;
                }

                sb.Append(text[i]);
            }

            if (i + 1 >= text.Length || text[i + 1] != ']')
            {
                error = "unterminated subscript";
                return false;
            }

            if (!Step(ref node, ref path, sb.ToString(), quoted: true))
            {
                error = "does not refer to a valid field";
                return false;
            }

            pos = i + 2;
            return true;
        }

        var close = text.IndexOf(']', start);
        if (close < 0 || !int.TryParse(text.AsSpan(start, close - start), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || node.Type != "array" || node.Items is null)
        {
            error = "does not refer to a valid field";
            return false;
        }

        path = path.Index(index);
        node = node.Items;
        pos = close + 1;
        return true;
    }

    private static bool Step(ref StructuralSchema node, ref FieldPath path, string name, bool quoted)
    {
        if (node.Properties.TryGetValue(name, out var property))
        {
            path = path.Child(name);
            node = property;
            return true;
        }

        if (node.AdditionalProperties is { } values)
        {
            path = quoted ? path.Key(name) : path.Child(name);
            node = values;
            return true;
        }

        return false;
    }
}
