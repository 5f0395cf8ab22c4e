package com.example.roman;

import java.util.ArrayList;
import java.util.List;

/** Prints the years given in ROMAN_YEARS (or a default list) as Roman numerals. */
public final class Main {
    private static final int[] VALUES = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
    private static final String[] SYMBOLS = {"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"};

    static String roman(int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < VALUES.length; i++) {
            for (; n >= VALUES[i]; n -= VALUES[i]) {
                out.append(SYMBOLS[i]);
            }
        }
        return out.toString();
    }

    public static void main(String[] args) {
        String years = System.getenv().getOrDefault("ROMAN_YEARS", "1999 2024");
        List<String> parts = new ArrayList<>();
        for (String year : years.trim().split("\\s+")) {
            parts.add(year + "=" + roman(Integer.parseInt(year)));
        }
        System.out.println("roman: " + String.join(" ", parts));
    }
}
