using k8s.Models;

namespace Flock.Sandbox.ApiModel;

/// <summary>metav1.LabelSelector matching (matchLabels AND every matchExpression).</summary>
public static class LabelSelectors
{
    /// <summary>
    /// True when <paramref name="labels"/> satisfy <paramref name="selector"/>. A null selector matches
    /// nothing and an empty one everything, as metav1.LabelSelectorAsSelector treats them.
    /// </summary>
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null)
        {
            return false;
        }

        labels ??= new Dictionary<string, string>();
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            var has = labels.TryGetValue(requirement.Key, out var actual);
            var values = requirement.Values ?? [];
            var ok = requirement.OperatorProperty switch
            {
                "In" => has && values.Contains(actual!),
                "NotIn" => !has || !values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>metav1.FormatLabelSelector: <c>app=web,tier in (a,b)</c>, <c>&lt;none&gt;</c> for an empty selector.</summary>
    public static string Format(V1LabelSelector? selector)
    {
        if (selector is null)
        {
            return "<none>";
        }

        // labels.Selector.String(): requirements sorted by key, matchLabels as key=value.
        var parts = new List<(string Key, string Text)>();
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            parts.Add((key, $"{key}={value}"));
        }

        foreach (var r in selector.MatchExpressions ?? [])
        {
            var values = string.Join(",", (r.Values ?? []).Order(StringComparer.Ordinal));
            parts.Add((r.Key, r.OperatorProperty switch
            {
                "In" => $"{r.Key} in ({values})",
                "NotIn" => $"{r.Key} notin ({values})",
                "Exists" => r.Key,
                "DoesNotExist" => "!" + r.Key,
                _ => r.Key,
            }));
        }

        var text = string.Join(",", parts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Text));
        return text.Length == 0 ? "<none>" : text;
    }
}
