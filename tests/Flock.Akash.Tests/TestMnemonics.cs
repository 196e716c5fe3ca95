using NBitcoin;

namespace Flock.Akash.Tests;

/// <summary>
/// Mnemonics made up by the tests from fixed seeds (never real accounts): deterministic, so a failure names the
/// same case every run, and varied (12 and 24 words).
/// </summary>
internal static class TestMnemonics
{
    public static IReadOnlyList<string> Corpus(int count, int seed = 20260)
    {
        var random = new Random(seed);
        var list = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var entropy = new byte[i % 3 == 2 ? 32 : 16];
            random.NextBytes(entropy);
            list.Add(new Mnemonic(Wordlist.English, entropy).ToString());
        }

        return list;
    }

    public static string One(int seed = 7) => Corpus(1, seed)[0];
}
