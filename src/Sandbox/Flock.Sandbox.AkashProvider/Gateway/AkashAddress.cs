namespace Flock.Sandbox.AkashProvider.Gateway;

/// <summary>
/// The provider's reading of an account address, as cosmos-sdk AccAddressFromBech32 does it (cosmos-sdk types/address.go,
/// types/bech32/bech32.go → btcutil bech32 Decode + ConvertBits): BIP-173 bech32 (not bech32m), all lower- or all
/// upper-case, human-readable part "akash", 1 to 255 payload bytes. Written for the simulator from BIP-173, not
/// borrowed from the operator, so an address bug on the operator's side is not mirrored here. Used for JWT issuers and
/// permission providers and for the CN of mTLS client certificates (chain-sdk go/util/tls/verify.go).
/// </summary>
internal static class AkashAddress
{
    public const string Prefix = "akash";

    // btcutil's Decode limit as cosmos-sdk calls it (DecodeAndConvert); BIP-173's 90 is for segwit addresses only.
    private const int MaxLength = 1023;

    // cosmos-sdk VerifyAddressFormat: an address is 1..255 bytes (no 20/32-byte rule unless a chain sets a verifier).
    private const int MaxAddressBytes = 255;

    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static readonly uint[] Generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

    /// <summary>
    /// The canonical (lower-case) form of a valid akash address, or null. Go re-encodes an AccAddress in lower case
    /// whenever it prints it (the ADR-36 signer, the owner of a lease path), so callers compare and sign with this form.
    /// </summary>
    public static string? Canonical(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length < 8 || text.Length > MaxLength)
        {
            return null;
        }

        var hasLower = false;
        var hasUpper = false;
        foreach (var c in text)
        {
            if (c < 33 || c > 126)
            {
                return null;
            }

            hasLower |= c is >= 'a' and <= 'z';
            hasUpper |= c is >= 'A' and <= 'Z';
        }

        if (hasLower && hasUpper)
        {
            return null;
        }

        var lower = text.ToLowerInvariant();
        var separator = lower.LastIndexOf('1');
        if (separator < 1 || separator + 7 > lower.Length || lower[..separator] != Prefix)
        {
            return null;
        }

        var values = new byte[lower.Length - separator - 1];
        for (var i = 0; i < values.Length; i++)
        {
            var index = Charset.IndexOf(lower[separator + 1 + i], StringComparison.Ordinal);
            if (index < 0)
            {
                return null;
            }

            values[i] = (byte)index;
        }

        if (Polymod(Prefix, values) != 1)
        {
            return null;
        }

        var bytes = PayloadBytes(values.AsSpan(0, values.Length - 6));
        return bytes is > 0 and <= MaxAddressBytes ? lower : null;
    }

    /// <summary>5-bit groups to bytes without padding; -1 when the left-over bits are more than 4 or not zero.</summary>
    private static int PayloadBytes(ReadOnlySpan<byte> groups)
    {
        var bits = groups.Length * 5;
        var leftover = bits % 8;
        if (leftover > 4)
        {
            return -1;
        }

        // The last group's low `leftover` bits are the padding; they must be zero.
        if (leftover > 0 && (groups[^1] & ((1 << leftover) - 1)) != 0)
        {
            return -1;
        }

        return bits / 8;
    }

    private static uint Polymod(string hrp, ReadOnlySpan<byte> values)
    {
        uint chk = 1;
        foreach (var c in hrp)
        {
            chk = Step(chk, (uint)c >> 5);
        }

        chk = Step(chk, 0);
        foreach (var c in hrp)
        {
            chk = Step(chk, (uint)c & 31);
        }

        foreach (var v in values)
        {
            chk = Step(chk, v);
        }

        return chk;
    }

    private static uint Step(uint chk, uint value)
    {
        var top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ value;
        for (var i = 0; i < 5; i++)
        {
            if (((top >> i) & 1) == 1)
            {
                chk ^= Generator[i];
            }
        }

        return chk;
    }
}
