using Jukwaa.Bot.Core.Domain;

namespace Jukwaa.Bot.Core.Tests;

public class ReferenceNumberTests
{
    [Fact]
    public void NewReferencesAreNineDigitsThatPassTheirCheck()
    {
        for (var i = 0; i < 1000; i++)
        {
            var reference = ReferenceNumber.New();
            Assert.Equal(ReferenceNumber.Length, reference.Length);
            Assert.All(reference, c => Assert.True(char.IsAsciiDigit(c)));
            Assert.NotEqual('0', reference[0]);
            Assert.Equal(ReferenceValidity.Valid, ReferenceNumber.Check(reference).Validity);
        }
    }

    [Fact]
    public void AnySingleWrongDigitIsCaught()
    {
        for (var sample = 0; sample < 200; sample++)
        {
            var reference = ReferenceNumber.New();
            for (var position = 0; position < reference.Length; position++)
            {
                foreach (var digit in "0123456789".Where(d => d != reference[position]))
                {
                    var typo = reference[..position] + digit + reference[(position + 1)..];
                    Assert.Equal(ReferenceValidity.WrongCheckDigit, ReferenceNumber.Check(typo).Validity);
                }
            }
        }
    }

    [Fact]
    public void AnySwapOfNeighbouringDigitsIsCaught()
    {
        for (var sample = 0; sample < 500; sample++)
        {
            var reference = ReferenceNumber.New();
            for (var position = 0; position < reference.Length - 1; position++)
            {
                if (reference[position] == reference[position + 1]) continue;
                var chars = reference.ToCharArray();
                (chars[position], chars[position + 1]) = (chars[position + 1], chars[position]);
                Assert.Equal(ReferenceValidity.WrongCheckDigit, ReferenceNumber.Check(new string(chars)).Validity);
            }
        }
    }

    [Theory]
    [InlineData("123 456 78", ReferenceValidity.Malformed)]
    [InlineData("12345678a", ReferenceValidity.Malformed)]
    [InlineData("", ReferenceValidity.Malformed)]
    public void WhatIsNotNineDigitsIsMalformed(string typed, ReferenceValidity expected) =>
        Assert.Equal(expected, ReferenceNumber.Check(typed).Validity);

    [Fact]
    public void SpacesAndDashesAsPrintedAreAccepted()
    {
        var reference = ReferenceNumber.New();
        var printed = ReferenceNumber.Format(reference);
        Assert.Matches(@"^\d{3} \d{3} \d{3}$", printed);
        Assert.Equal(reference, ReferenceNumber.Check(printed).Digits);
        Assert.Equal(ReferenceValidity.Valid, ReferenceNumber.Check(printed.Replace(' ', '-')).Validity);
    }
}
