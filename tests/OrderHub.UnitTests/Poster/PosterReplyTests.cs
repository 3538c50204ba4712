using OrderHub.Domain.History;
using OrderHub.Integrations.Pos;
using OrderHub.Integrations.Poster;

namespace OrderHub.UnitTests.Poster;

public sealed class PosterReplyTests
{
    [Fact]
    public void Numbers_sent_as_strings_are_read()
    {
        var reply = PosterReply.Parse("""{"response":{"incoming_order_id":"106","status":"0","count":"1.00000"}}""")
            .ShouldBeOfType<PosterReply.Success>();

        PosterReply.ReadLong(reply.Response, "incoming_order_id").ShouldBe(106);
        PosterReply.ReadLong(reply.Response, "status").ShouldBe(0);
        PosterReply.ReadLong(reply.Response, "count").ShouldBe(1);
        PosterReply.ReadString(reply.Response, "incoming_order_id").ShouldBe("106");
    }

    [Fact]
    public void Nested_error_shape_is_read()
    {
        var error = PosterReply.Parse("""{"error":{"code":11,"message":"Invalid token"}}""").ShouldBeOfType<PosterReply.Failure>();

        error.Code.ShouldBe(11);
        error.Message.ShouldBe("Invalid token");
    }

    [Fact]
    public void Flat_error_shape_is_read_also_with_the_code_as_a_string()
    {
        var flat = PosterReply.Parse("""{"error":37,"message":"Bad phone"}""").ShouldBeOfType<PosterReply.Failure>();
        flat.Code.ShouldBe(37);
        flat.Message.ShouldBe("Bad phone");

        PosterReply.Parse("""{"error":"41","message":"x"}""").ShouldBeOfType<PosterReply.Failure>().Code.ShouldBe(41);
    }

    [Theory]
    [InlineData("""{"something":"else"}""")]
    [InlineData("<html>Bad gateway</html>")]
    [InlineData("")]
    [InlineData("[]")]
    public void A_body_with_neither_response_nor_error_is_unreadable(string body) =>
        PosterReply.Parse(body).ShouldBeOfType<PosterReply.Unreadable>();

    [Theory]
    [InlineData(11, FailureReason.PosAuthRejected)]
    [InlineData(12, FailureReason.PosAuthRejected)]
    [InlineData(20, FailureReason.PosRequestInvalid)]
    [InlineData(34, FailureReason.PosRequestInvalid)]
    [InlineData(37, FailureReason.PosPhoneInvalid)]
    [InlineData(41, FailureReason.PosProductNotFound)]
    [InlineData(42, FailureReason.PosModificationNotFound)]
    [InlineData(60, FailureReason.PosSpotNotFound)]
    [InlineData(88, FailureReason.PosPaymentSumMismatch)]
    [InlineData(4001, FailureReason.PosCurrencyMismatch)]
    [InlineData(12345, FailureReason.PosRejected)]
    public void Error_codes_translate_to_permanent_reasons_with_a_fix_hint(int code, FailureReason reason)
    {
        var translation = PosterErrors.Translate(code, "poster text");

        translation.Outcome.ShouldBe(PosPushOutcome.Permanent);
        translation.Reason.ShouldBe(reason);
        translation.FixHint.ShouldNotBeNullOrWhiteSpace();
        translation.Message.ShouldContain("poster text");
    }

    [Fact]
    public void The_product_hint_names_the_product()
    {
        PosterErrors.Translate(41, null, "'Margherita' (Poster id 113)").FixHint
            .ShouldBe("Check the Poster product id of 'Margherita' (Poster id 113) in the pickup point's external IDs.");
    }
}
