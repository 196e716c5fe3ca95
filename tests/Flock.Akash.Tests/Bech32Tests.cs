using CsCheck;
using Flock.Akash.Crypto;

namespace Flock.Akash.Tests;

public class Bech32Tests
{
    [Theory]
    [InlineData("A12UEL5L")]
    [InlineData("a12uel5l")]
    [InlineData("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw")]
    [InlineData("split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w")]
    public void Bip173_valid_strings_decode(string text) => Assert.True(Bech32.TryDecode(text, out _, out _));

    [Theory]
    [InlineData("a12uel5m")]
    [InlineData("A12uEL5L")]
    [InlineData("1nwldj5")]
    [InlineData("akash1")]
    [InlineData("akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x1")]
    public void Bad_checksums_mixed_case_and_missing_parts_do_not_decode(string text) => Assert.False(Bech32.TryDecode(text, out _, out _));

    [Fact]
    public void Encode_then_decode_round_trips_any_20_or_32_bytes() =>
        Gen.OneOf(Gen.Byte.Array[20], Gen.Byte.Array[32]).Sample(data =>
        {
            var text = Bech32.Encode("akash", data);
            return Bech32.TryDecode(text, out var hrp, out var back) && hrp == "akash" && back.AsSpan().SequenceEqual(data);
        });
}
