using System.Text;
using System.Text.Json;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.UnitTests.Webhooks;

public sealed class StandardWebhookSignatureTests
{
    private static readonly JsonElement Vectors =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "standard-webhooks-vectors.json"))).RootElement;

    public static TheoryData<int> Cases() => new(Enumerable.Range(0, Vectors.GetProperty("cases").GetArrayLength()));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Signing_reproduces_the_reference_library_vectors(int index)
    {
        var (secret, id, at, payload, signature) = Case(index);

        StandardWebhookSignature.Sign(secret, id, at, Encoding.UTF8.GetBytes(payload)).ShouldBe(signature);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Verification_accepts_the_reference_library_vectors(int index)
    {
        var (secret, id, at, payload, signature) = Case(index);

        StandardWebhookSignature.Verify([secret], id, at.ToUnixTimeSeconds().ToString(), signature, Encoding.UTF8.GetBytes(payload), at.AddMinutes(4))
            .ShouldBe(SignatureFailure.None);
    }

    [Fact]
    public void Any_of_several_space_separated_signatures_may_match()
    {
        var (secret, id, at, payload, signature) = Case(0);

        StandardWebhookSignature.Verify([secret], id, at.ToUnixTimeSeconds().ToString(), "v1,bm90IGl0 v2,abc " + signature, Encoding.UTF8.GetBytes(payload), at)
            .ShouldBe(SignatureFailure.None);
    }

    [Fact]
    public void A_rotated_out_secret_still_verifies_while_it_is_offered()
    {
        var (secret, id, at, payload, signature) = Case(0);

        StandardWebhookSignature.Verify([StandardWebhookSignature.GenerateSecret(), secret], id, at.ToUnixTimeSeconds().ToString(), signature, Encoding.UTF8.GetBytes(payload), at)
            .ShouldBe(SignatureFailure.None);
    }

    [Fact]
    public void A_changed_byte_of_the_body_fails()
    {
        var (secret, id, at, payload, signature) = Case(0);

        StandardWebhookSignature.Verify([secret], id, at.ToUnixTimeSeconds().ToString(), signature, Encoding.UTF8.GetBytes(payload + " "), at)
            .ShouldBe(SignatureFailure.NoMatchingSignature);
    }

    [Fact]
    public void A_changed_id_fails()
    {
        var (secret, _, at, payload, signature) = Case(0);

        StandardWebhookSignature.Verify([secret], "msg_other", at.ToUnixTimeSeconds().ToString(), signature, Encoding.UTF8.GetBytes(payload), at)
            .ShouldBe(SignatureFailure.NoMatchingSignature);
    }

    [Theory]
    [InlineData(-301, SignatureFailure.TimestampOutOfTolerance)]
    [InlineData(301, SignatureFailure.TimestampOutOfTolerance)]
    [InlineData(-299, SignatureFailure.None)]
    [InlineData(299, SignatureFailure.None)]
    public void Timestamps_are_accepted_within_five_minutes_either_way(int secondsFromNow, SignatureFailure expected)
    {
        var (secret, id, at, payload, signature) = Case(0);

        StandardWebhookSignature.Verify([secret], id, at.ToUnixTimeSeconds().ToString(), signature, Encoding.UTF8.GetBytes(payload), at.AddSeconds(-secondsFromNow))
            .ShouldBe(expected);
    }

    [Theory]
    [InlineData(null, "1", "v1,x", SignatureFailure.MissingHeaders)]
    [InlineData("id", "", "v1,x", SignatureFailure.MissingHeaders)]
    [InlineData("id", "1", null, SignatureFailure.MissingHeaders)]
    [InlineData("id", "-5", "v1,x", SignatureFailure.BadTimestamp)]
    [InlineData("id", "12ab", "v1,x", SignatureFailure.BadTimestamp)]
    [InlineData("id", "99999999999999999999", "v1,x", SignatureFailure.BadTimestamp)]
    public void Malformed_headers_fail_without_throwing(string? id, string? timestamp, string? signature, SignatureFailure expected)
    {
        StandardWebhookSignature.Verify([StandardWebhookSignature.GenerateSecret()], id, timestamp, signature, "{}"u8, DateTimeOffset.UtcNow)
            .ShouldBe(expected);
    }

    [Theory]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", true)]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", false)]
    [InlineData("whsec_not base64!", false)]
    [InlineData("whsec_c2hvcnQ=", false)]
    [InlineData(null, false)]
    public void Secrets_must_be_whsec_and_base64_of_24_to_64_bytes(string? secret, bool valid) =>
        StandardWebhookSignature.IsValidSecret(secret).ShouldBe(valid);

    [Fact]
    public void Generated_secrets_are_valid_and_differ() =>
        StandardWebhookSignature.GenerateSecret().ShouldSatisfyAllConditions(
            s => StandardWebhookSignature.IsValidSecret(s).ShouldBeTrue(),
            s => s.ShouldNotBe(StandardWebhookSignature.GenerateSecret()));

    private static (string Secret, string Id, DateTimeOffset At, string Payload, string Signature) Case(int index)
    {
        var c = Vectors.GetProperty("cases")[index];
        return (Vectors.GetProperty("secret").GetString()!, c.GetProperty("id").GetString()!,
            DateTimeOffset.FromUnixTimeSeconds(c.GetProperty("timestamp").GetInt64()),
            c.GetProperty("payload").GetString()!, c.GetProperty("signature").GetString()!);
    }
}
