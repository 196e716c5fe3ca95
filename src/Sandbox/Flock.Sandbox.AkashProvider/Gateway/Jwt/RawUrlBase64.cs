namespace Flock.Sandbox.AkashProvider.Gateway.Jwt;

/// <summary>
/// How golang-jwt v5 decodes a token segment by default (parser.go DecodeSegment: base64.RawURLEncoding, not strict):
/// the URL alphabet without padding — a '=' is an illegal character — with CR and LF skipped, a length that leaves a
/// lone sextet refused, and non-zero bits after the last byte ignored (only the Strict variant refuses them).
/// </summary>
internal static class RawUrlBase64
{
    public static bool TryDecode(string segment, out byte[] bytes)
    {
        bytes = [];
        var sextets = new List<int>(segment.Length);
        foreach (var c in segment)
        {
            if (c is '\r' or '\n')
            {
                continue;
            }

            var v = c switch
            {
                >= 'A' and <= 'Z' => c - 'A',
                >= 'a' and <= 'z' => c - 'a' + 26,
                >= '0' and <= '9' => c - '0' + 52,
                '-' => 62,
                '_' => 63,
                _ => -1,
            };
            if (v < 0)
            {
                return false;
            }

            sextets.Add(v);
        }

        if (sextets.Count % 4 == 1)
        {
            return false;
        }

        var output = new byte[sextets.Count * 6 / 8];
        var buffer = 0;
        var bits = 0;
        var n = 0;
        foreach (var s in sextets)
        {
            buffer = (buffer << 6) | s;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                output[n++] = (byte)(buffer >> bits);
                buffer &= (1 << bits) - 1;
            }
        }

        bytes = output;
        return true;
    }
}
