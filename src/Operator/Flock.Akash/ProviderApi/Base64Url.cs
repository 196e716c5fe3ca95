namespace Flock.Akash.ProviderApi;

/// <summary>
/// Unpadded base64url (RFC 7515 §2), what JWT segments use. Decoding is strict like golang-jwt's default
/// (base64.RawURLEncoding): padding or characters outside the URL alphabet are a format error.
/// </summary>
internal static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Decode(string text)
    {
        if (text.Length % 4 == 1 || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            throw new FormatException("a segment is not unpadded base64url");
        }

        var padded = text.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (text.Length % 4)) % 4);
        return Convert.FromBase64String(padded);
    }
}
