package com.example.inventory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** Totals the stock list packaged in the jar (src/main/resources/stock.csv) per item. */
public final class Main {
    public static void main(String[] args) throws IOException {
        Map<String, Integer> totals = new TreeMap<>();
        try (InputStream in = Main.class.getResourceAsStream("/stock.csv");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            reader.readLine(); // header
            for (String line; (line = reader.readLine()) != null; ) {
                String[] fields = line.split(",");
                totals.merge(fields[0], Integer.parseInt(fields[2]), Integer::sum);
            }
        }
        System.out.println("stock: " + totals);
    }
}
