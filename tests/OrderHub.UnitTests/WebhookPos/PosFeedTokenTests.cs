using System.Security.Cryptography;
using System.Text;
using OrderHub.Integrations.WebhookPos;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.UnitTests.WebhookPos;

public sealed class PosFeedTokenTests
{
    private static readonly Guid Integration = Guid.Parse("01a24d95-64a2-7768-ad54-fc2748320460");

    [Fact]
    public void The_token_is_what_the_documented_receiver_code_computes_from_its_secret()
    {
        var secret = StandardWebhookSignature.GenerateSecret();

        // docs/pos-webhook.md, "Catch-up feed": the receiver's own computation.
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var id = Integration.ToString("N");
        var expected = $"ohfeed_{id}_" + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"pos-feed.{id}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        PosFeedToken.Derive(secret, Integration).ShouldBe(expected);
        PosFeedToken.Verify(secret, Integration, expected).ShouldBeTrue();
        PosFeedToken.IntegrationOf(expected).ShouldBe(Integration);
    }

    [Fact]
    public void Another_secret_or_another_integration_gives_a_token_that_does_not_verify()
    {
        var secret = StandardWebhookSignature.GenerateSecret();
        var other = Guid.CreateVersion7();

        PosFeedToken.Verify(secret, Integration, PosFeedToken.Derive(StandardWebhookSignature.GenerateSecret(), Integration)).ShouldBeFalse();
        PosFeedToken.Verify(secret, Integration, PosFeedToken.Derive(secret, other)).ShouldBeFalse();
        PosFeedToken.IntegrationOf(PosFeedToken.Derive(secret, other)).ShouldBe(other);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("functional-tests-api-key-0123456789")]
    [InlineData("ohfeed_not-a-guid-at-all-0000000000_x")]
    [InlineData("ohfeed_01a24d9564a27768ad54fc2748320460")]
    public void Anything_else_names_no_integration(string? token) => PosFeedToken.IntegrationOf(token).ShouldBeNull();
}
