using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Flock.Sandbox.ApiModel;

/// <summary>The expression parser: segments, brackets and filters.</summary>
public sealed partial class JsonPath
{
    private sealed class Parser(string text)
    {
        private int _pos;

        public List<Segment> ParseSegments()
        {
            var segments = new List<Segment>();
            while (_pos < text.Length)
            {
                var c = text[_pos];
                if (c == '.')
                {
                    if (Peek(1) == '.')
                    {
                        _pos += 2;
                        segments.Add(new Recursive(Peek(0) == '*' ? Advance("*") : ReadName()));
                        continue;
                    }

                    _pos++;
                    if (_pos >= text.Length)
                    {
                        break;
                    }

                    if (text[_pos] == '*')
                    {
                        _pos++;
                        segments.Add(new Wildcard());
                    }
                    else if (text[_pos] != '[')
                    {
                        segments.Add(new Field(ReadName()));
                    }
                }
                else if (c == '[')
                {
                    segments.Add(ReadBracket());
                }
                else if (c == '@' && segments.Count == 0)
                {
                    _pos++;
                }
                else if (char.IsWhiteSpace(c))
                {
                    _pos++;
                }
                else
                {
                    segments.Add(new Field(ReadName()));
                }
            }

            return segments;
        }

        private string Advance(string token)
        {
            _pos += token.Length;
            return token;
        }

        private char Peek(int offset) => _pos + offset < text.Length ? text[_pos + offset] : '\0';

        private string ReadName()
        {
            var name = new StringBuilder();
            while (_pos < text.Length && text[_pos] is not ('.' or '[' or ' ' or '=' or '!' or '<' or '>' or ')'))
            {
                if (text[_pos] == '\\' && _pos + 1 < text.Length)
                {
                    _pos++;
                }

                name.Append(text[_pos]);
                _pos++;
            }

            if (name.Length == 0)
            {
                throw new FormatException($"unexpected character at {_pos} in jsonpath \"{text}\"");
            }

            return name.ToString();
        }

        private Segment ReadBracket()
        {
            var close = FindClose(_pos);
            var inner = text[(_pos + 1)..close].Trim();
            _pos = close + 1;
            if (inner == "*")
            {
                return new Wildcard();
            }

            if (inner.StartsWith("?(", StringComparison.Ordinal) && inner.EndsWith(')'))
            {
                return ParseFilter(inner[2..^1].Trim());
            }

            if (inner.Length >= 2 && (inner[0] is '\'' or '"') && inner[^1] == inner[0])
            {
                return new Field(inner[1..^1]);
            }

            if (inner.Contains(':', StringComparison.Ordinal))
            {
                var parts = inner.Split(':');
                return new Index(ParseInt(parts[0]), ParseInt(parts[1]), true);
            }

            return new Index(ParseInt(inner) ?? throw new FormatException($"invalid array index \"{inner}\""), null, false);
        }

        private int FindClose(int open)
        {
            var depth = 0;
            char? quote = null;
            for (var i = open; i < text.Length; i++)
            {
                var c = text[i];
                if (quote is not null)
                {
                    if (c == quote)
                    {
                        quote = null;
                    }

                    continue;
                }

                switch (c)
                {
                    case '\'' or '"':
                        quote = c;
                        break;
                    case '[':
                        depth++;
                        break;
                    case ']':
                        depth--;
                        if (depth == 0)
                        {
                            return i;
                        }

                        break;
                }
            }

            throw new FormatException($"unclosed [ in jsonpath \"{text}\"");
        }

        private static int? ParseInt(string s) =>
            s.Trim().Length == 0 ? null : int.Parse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);

        private static Filter ParseFilter(string expression)
        {
            foreach (var op in new[] { "==", "!=", "<=", ">=", "<", ">" })
            {
                var at = IndexOutsideQuotes(expression, op);
                if (at < 0)
                {
                    continue;
                }

                var left = Parse(expression[..at].Trim());
                var rightText = expression[(at + op.Length)..].Trim();
                JsonNode? right = rightText.Length >= 2 && (rightText[0] is '\'' or '"') && rightText[^1] == rightText[0]
                    ? JsonValue.Create(rightText[1..^1])
                    : JsonNode.Parse(rightText);
                return new Filter(left, op, right);
            }

            return new Filter(Parse(expression), null, null);
        }

        private static int IndexOutsideQuotes(string s, string token)
        {
            char? quote = null;
            for (var i = 0; i + token.Length <= s.Length; i++)
            {
                var c = s[i];
                if (quote is not null)
                {
                    if (c == quote)
                    {
                        quote = null;
                    }

                    continue;
                }

                if (c is '\'' or '"')
                {
                    quote = c;
                    continue;
                }

                if (string.CompareOrdinal(s, i, token, 0, token.Length) == 0)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
