using OrderHub.Domain.Fiscal;

namespace OrderHub.UnitTests.Fiscal;

public sealed class ReceiptContactRuleTests
{
    private static readonly string[] Phones = ["+380441234567", "+380501112233", "+380671234567"];

    [Fact]
    public void The_address_receipt_contact_wins_when_it_is_set()
    {
        var contact = ReceiptContactRule.Resolve("receipts@example.com", "customer@example.com", Phones);

        contact.ShouldBe(new ReceiptContact(ReceiptContactKind.Email, "receipts@example.com", "address receipt contact"));
    }

    [Fact]
    public void A_phone_as_the_address_receipt_contact_is_normalized_for_SMS()
    {
        ReceiptContactRule.Resolve("067 123 45 67", "customer@example.com", Phones)
            .ShouldBe(new ReceiptContact(ReceiptContactKind.Phone, "380671234567", "address receipt contact"));
    }

    [Fact]
    public void Without_an_address_receipt_contact_the_customers_email_is_used()
    {
        ReceiptContactRule.Resolve(null, "customer@example.com", Phones)
            .ShouldBe(new ReceiptContact(ReceiptContactKind.Email, "customer@example.com", "customer e-mail"));

        // An invalid receipt contact does not count as set.
        ReceiptContactRule.Resolve("not a contact", "customer@example.com", Phones).Source.ShouldBe("customer e-mail");
    }

    [Fact]
    public void Without_any_email_the_first_mobile_phone_of_the_address_is_used_skipping_landlines()
    {
        ReceiptContactRule.Resolve("", "not-an-email", Phones)
            .ShouldBe(new ReceiptContact(ReceiptContactKind.Phone, "380501112233", "address mobile phone"));
    }

    [Fact]
    public void With_nothing_valid_there_is_no_contact()
    {
        ReceiptContactRule.Resolve(null, null, ["+380441234567", "12345"]).ShouldBe(ReceiptContact.None);
        ReceiptContactRule.Resolve(null, null, []).Kind.ShouldBe(ReceiptContactKind.None);
    }

    [Theory]
    [InlineData("andrii@example.com", "a***@example.com")]
    [InlineData("380671234567", "38067***67")]
    public void Contacts_are_masked_for_the_history(string contact, string masked) =>
        ReceiptContactRule.Mask(contact).ShouldBe(masked);

    [Theory]
    [InlineData("3012345670", true)]
    [InlineData("3012345671", false)]
    [InlineData("4000000017", false)]
    [InlineData("12345678", false)]
    public void A_ten_digit_number_with_the_personal_tax_number_check_digit_is_flagged(string value, bool flagged) =>
        FiscalNumberRule.LooksLikePersonalTaxNumber(value).ShouldBe(flagged);
}
