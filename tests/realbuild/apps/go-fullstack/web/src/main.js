// Lists today's specials from the back end's API.
const list = document.getElementById("specials");
fetch("/api/specials")
  .then((r) => r.json())
  .then((items) => {
    for (const { dish, price } of items) {
      const li = document.createElement("li");
      li.textContent = `${dish}: ${price.toFixed(2)}`;
      list.appendChild(li);
    }
  });
