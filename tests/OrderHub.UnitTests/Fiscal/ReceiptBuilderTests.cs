using OrderHub.Api.Fiscalization;
using OrderHub.Domain.Fiscal;
using OrderHub.Integrations.Fiscal;

namespace OrderHub.UnitTests.Fiscal;

public sealed class ReceiptBuilderTests
{
    private static readonly ReceiptContent Sale = new(
        [new ReceiptGood(0, "pizza", "Піца", 2, 245.00m, "1"), new ReceiptGood(1, "cola", "Cola", 3, 42.00m, "1"), new ReceiptGood(2, "delivery", "Доставка", 1, 60.00m, null)],
        56.00m, "Друга піца -20%");

    [Fact]
    public void Partial_returns_carry_their_share_of_the_discount_and_the_last_one_the_rest()
    {
        var (first, excess) = ReceiptBuilder.Return(Sale, [], new Dictionary<int, decimal> { [1] = 1 });
        excess.ShouldBeEmpty();
        first!.Goods.ShouldHaveSingleItem().Quantity.ShouldBe(1);
        first.Discount.ShouldBe(3.48m); // 56 × 42 / 676 (goods total 490 + 126 + 60)

        var (rest, _) = ReceiptBuilder.Return(Sale, [first], null);
        rest!.Goods.Select(g => (g.Index, g.Quantity)).ShouldBe([(0, 2m), (1, 2m), (2, 1m)]);
        (first.Discount + rest.Discount).ShouldBe(56.00m);
        (first.Total + rest.Total).ShouldBe(Sale.Total);
    }

    [Fact]
    public void A_return_beyond_what_is_left_names_the_good_and_what_is_left()
    {
        var (first, _) = ReceiptBuilder.Return(Sale, [], new Dictionary<int, decimal> { [1] = 2 });
        var (content, excess) = ReceiptBuilder.Return(Sale, [first!], new Dictionary<int, decimal> { [1] = 2, [7] = 1 });

        content.ShouldBeNull();
        excess.ShouldBe([(1, 1m), (7, 0m)]);
    }

    [Fact]
    public void Checkbox_gets_kopecks_per_unit_thousandths_of_quantity_and_kopeck_payments()
    {
        var request = new FiscalReceiptRequest(Guid.NewGuid(), false, Sale, "CASHLESS", "Олена", "4000000017", null, null, null, null);

        var body = CheckboxClient.BuildSell(request);

        body["goods"]![0]!["good"]!["price"]!.GetValue<long>().ShouldBe(24500);
        body["goods"]![0]!["quantity"]!.GetValue<long>().ShouldBe(2000);
        body["discounts"]![0]!["value"]!.GetValue<long>().ShouldBe(5600);
        body["payments"]![0]!["value"]!.GetValue<long>().ShouldBe(62000);
        body["id"]!.GetValue<string>().ShouldBe(request.Id.ToString());
    }

    [Fact]
    public void Cashalot_gets_decimal_UAH_and_a_return_names_the_sales_fiscal_number()
    {
        var request = new FiscalReceiptRequest(Guid.NewGuid(), true, Sale, "CASH", "Олена", "4000123456", Guid.NewGuid(), "1001", null, null);

        var check = CashalotClient.BuildCheck(request);

        check["CHECKHEAD"]!["DOCSUBTYPE"]!.GetValue<string>().ShouldBe("CheckReturn");
        check["CHECKHEAD"]!["ORDERRETNUM"]!.GetValue<string>().ShouldBe("1001");
        check["CHECKBODY"]![0]!["PRICE"]!.GetValue<decimal>().ShouldBe(245.00m);
        check["CHECKBODY"]![0]!["COST"]!.GetValue<decimal>().ShouldBe(490.00m);
        check["CHECKTOTAL"]!["SUM"]!.GetValue<decimal>().ShouldBe(620.00m);
        check["CHECKPAY"]![0]!["PAYFORMCD"]!.GetValue<int>().ShouldBe(0);
    }
}
