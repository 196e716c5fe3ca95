namespace Flock.Akash.Client;

/// <summary>
/// Node logs go into exceptions, logs and Kubernetes status. They hold no secrets (the node never sees one), but a
/// log can be arbitrarily long (nested wraps, big messages), so it is cut to a bound before it travels.
/// </summary>
internal static class RawLogs
{
    public static string Bound(string? log, int maxLength)
    {
        if (string.IsNullOrEmpty(log))
        {
            return string.Empty;
        }

        var limit = Math.Max(16, maxLength);
        return log.Length <= limit ? log : string.Concat(log.AsSpan(0, limit), "… (", log.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), " chars)");
    }
}
