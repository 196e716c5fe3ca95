using Flock.Operator.Backends.Akash;

namespace Flock.Reliability.Tests.Answers;

/// <summary>A malformed bid is passed over for a stated reason, the good bid beside it still wins, and the explanation counts it.</summary>
public sealed class BidAnswerTests
{
    public static TheoryData<string> Cases() => new(BidAnswers.All.Select(a => a.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_malformed_bid_is_passed_over_for_a_stated_reason(string name)
    {
        var answer = BidAnswers.All.Single(a => a.Name == name);

        var alone = LeaseBidSelector.Select([answer.Bid], BidAnswers.Requirements, height: 10, windowEndsAt: 5);
        var beside = LeaseBidSelector.Select([answer.Bid, BidAnswers.Good], BidAnswers.Requirements, height: 10, windowEndsAt: 5);

        Assert.Equal(answer.Rejection, LeaseBidSelector.Reject(answer.Bid, BidAnswers.Requirements));
        Assert.Null(alone.Chosen);
        Assert.Equal(1, alone.Rejections[answer.Rejection]);
        Assert.Same(BidAnswers.Good, beside.Chosen);
        var explanation = alone.Explain(BidAnswers.Requirements, 1);
        Assert.StartsWith("none of 1 bids qualifies (1 ", explanation, StringComparison.Ordinal);
        // A broken price never shows as the best price seen.
        Assert.True(alone.BestPriceSeen is null or >= 0, $"best price {alone.BestPriceSeen}");
    }
}
