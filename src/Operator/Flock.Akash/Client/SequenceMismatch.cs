using System.Globalization;
using System.Text.RegularExpressions;

namespace Flock.Akash.Client;

/// <summary>
/// Recognises cosmos-sdk's ErrWrongSequence (sdk/32, "account sequence mismatch, expected N, got M") in CheckTx
/// results and in Simulate errors (which carry only the text), and reads N: the node's view includes its mempool,
/// so N can be ahead of the committed sequence auth Query/Account returns.
/// </summary>
internal static partial class SequenceMismatch
{
    public const uint Code = 32;
    public const string Codespace = "sdk";

    public static bool IsIn(string? log) =>
        log is not null && (log.Contains("account sequence mismatch", StringComparison.Ordinal) || log.Contains("incorrect account sequence", StringComparison.Ordinal));

    /// <summary>The "expected N" of a mismatch log, if present.</summary>
    public static ulong? ExpectedIn(string? log)
    {
        if (log is null)
        {
            return null;
        }

        var match = ExpectedPattern().Match(log);
        return match.Success && ulong.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    [GeneratedRegex(@"expected (\d+), got \d+", RegexOptions.CultureInvariant)]
    private static partial Regex ExpectedPattern();
}
