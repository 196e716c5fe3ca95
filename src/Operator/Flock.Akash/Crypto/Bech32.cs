namespace Flock.Akash.Crypto;

/// <summary>
/// BIP173 bech32 (not bech32m): what Cosmos addresses use. Written here because NBitcoin's encoder is shaped for
/// segwit (witness version + program) while a Cosmos address is the plain 8-to-5-bit conversion of 20 bytes.
/// </summary>
public static class Bech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    /// <summary>Encodes <paramref name="data"/> (any length) under the human-readable part <paramref name="hrp"/>.</summary>
    public static string Encode(string hrp, ReadOnlySpan<byte> data)
    {
        ArgumentException.ThrowIfNullOrEmpty(hrp);
        var values = ConvertBits(data, 8, 5, pad: true);
        var checksum = CreateChecksum(hrp, values);
        var chars = new char[hrp.Length + 1 + values.Length + checksum.Length];
        hrp.CopyTo(0, chars, 0, hrp.Length);
        chars[hrp.Length] = '1';
        var i = hrp.Length + 1;
        foreach (var v in values)
        {
            chars[i++] = Charset[v];
        }

        foreach (var v in checksum)
        {
            chars[i++] = Charset[v];
        }

        return new string(chars);
    }

    /// <summary>Decodes a bech32 string; returns false (never throws) when it is not valid bech32.</summary>
    public static bool TryDecode(string text, out string hrp, out byte[] data)
    {
        hrp = "";
        data = [];
        if (string.IsNullOrEmpty(text) || text.Length > 90 || (text.ToLowerInvariant() != text && text.ToUpperInvariant() != text))
        {
            return false;
        }

        text = text.ToLowerInvariant();
        var sep = text.LastIndexOf('1');
        if (sep < 1 || sep + 7 > text.Length)
        {
            return false;
        }

        var values = new byte[text.Length - sep - 1];
        for (var i = 0; i < values.Length; i++)
        {
            var idx = Charset.IndexOf(text[sep + 1 + i], StringComparison.Ordinal);
            if (idx < 0)
            {
                return false;
            }

            values[i] = (byte)idx;
        }

        var prefix = text[..sep];
        if (Polymod(ExpandHrp(prefix).Concat(values)) != 1)
        {
            return false;
        }

        var payload = values.AsSpan(0, values.Length - 6);
        try
        {
            data = ConvertBits(payload, 5, 8, pad: false);
        }
        catch (FormatException)
        {
            return false;
        }

        hrp = prefix;
        return true;
    }

    private static byte[] CreateChecksum(string hrp, byte[] values)
    {
        var mod = Polymod(ExpandHrp(hrp).Concat(values).Concat(new byte[6])) ^ 1;
        var result = new byte[6];
        for (var i = 0; i < 6; i++)
        {
            result[i] = (byte)((mod >> (5 * (5 - i))) & 31);
        }

        return result;
    }

    private static IEnumerable<byte> ExpandHrp(string hrp)
    {
        foreach (var c in hrp)
        {
            yield return (byte)(c >> 5);
        }

        yield return 0;
        foreach (var c in hrp)
        {
            yield return (byte)(c & 31);
        }
    }

    private static uint Polymod(IEnumerable<byte> values)
    {
        uint[] gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
        uint chk = 1;
        foreach (var v in values)
        {
            var top = chk >> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ v;
            for (var i = 0; i < 5; i++)
            {
                if (((top >> i) & 1) != 0)
                {
                    chk ^= gen[i];
                }
            }
        }

        return chk;
    }

    private static byte[] ConvertBits(ReadOnlySpan<byte> data, int from, int to, bool pad)
    {
        var acc = 0;
        var bits = 0;
        var maxv = (1 << to) - 1;
        var result = new List<byte>(data.Length * from / to + 1);
        foreach (var value in data)
        {
            if (value >> from != 0)
            {
                throw new FormatException("value out of range for bit conversion");
            }

            acc = (acc << from) | value;
            bits += from;
            while (bits >= to)
            {
                bits -= to;
                result.Add((byte)((acc >> bits) & maxv));
            }
        }

        if (pad)
        {
            if (bits > 0)
            {
                result.Add((byte)((acc << (to - bits)) & maxv));
            }
        }
        else if (bits >= from || ((acc << (to - bits)) & maxv) != 0)
        {
            throw new FormatException("non-zero padding in bech32 data");
        }

        return [.. result];
    }
}
