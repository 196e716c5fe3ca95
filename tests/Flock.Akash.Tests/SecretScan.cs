using System.Text.RegularExpressions;

namespace Flock.Akash.Tests;

/// <summary>Asserts that text (an exception message, ToString output, captured process output) leaks no secret.</summary>
internal static class SecretScan
{
    // Words our own fixed messages use; a BIP39 word that is also one of these ("word", "list", "valid") cannot be told apart.
    private static readonly HashSet<string> MessageVocabulary = new(
        Regex.Matches(
            "The Akash account mnemonic is not a valid BIP39 English phrase: it is empty; it has words, expected; " +
            "a word is not in the English BIP39 word list; it could not be parsed; its checksum does not match (a word is wrong or out of order); " +
            "it derives an invalid key; unknown reason; Wallet akash",
            "[a-z]+").Select(m => m.Value),
        StringComparer.Ordinal);

    public static void NoMnemonic(string? text, string mnemonic)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        var lower = text.ToLowerInvariant();
        var words = mnemonic.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        NoPhrase(text, mnemonic);
        foreach (var word in words.Where(w => !MessageVocabulary.Contains(w)))
        {
            Assert.False(Regex.IsMatch(lower, $@"\b{Regex.Escape(word)}\b"), "a mnemonic word appears in the text");
        }
    }

    /// <summary>No two consecutive words of the mnemonic (for text such as stack traces, whose identifiers may be BIP39 words).</summary>
    public static void NoPhrase(string? text, string mnemonic)
    {
        var words = mnemonic.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (string.IsNullOrEmpty(text) || words.Length < 2)
        {
            return;
        }

        var lower = text.ToLowerInvariant();
        for (var i = 0; i + 1 < words.Length; i++)
        {
            Assert.False(lower.Contains(words[i] + " " + words[i + 1], StringComparison.Ordinal), "two consecutive mnemonic words appear in the text");
        }
    }

    public static void NoSecret(string? text, string secret)
    {
        Assert.False(text is not null && text.Contains(secret, StringComparison.Ordinal), "a secret value appears in the text");
    }
}
